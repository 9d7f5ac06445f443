// Cases of jq's own test suite (tests/*.test, read at run time) that this engine deliberately
// does not support, each with its reason. Keys are file:line:sha1-prefix of the program text;
// the programs themselves are not copied into this repository.
export const UNSUPPORTED: Readonly<Record<string, string>> = {
  'jq.test:661:5d00824c':
    'numbers are IEEE doubles: no decNumber literal precision; huge literals become the largest double',
  'jq.test:1900:c0df2227': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1904:f1641ab4': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1908:57ede58d': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1912:3d1506e7': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1917:7a32660d': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1921:a36e4636': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1925:448696c0': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1929:054cc945': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1969:4eb833d2': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1973:f93504d2': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1977:ef0e6ef2': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:1993:20fbc250': 'modules: import, include and modulemeta are not supported (no module search path)',
  'jq.test:2337:91865222': "there is no input stream: input fails with 'No more inputs', not jq's internal 'break'",
  'jq.test:2498:a112f8a2': "jq's own JSON parse-error wording",
  'jq.test:2602:2502db21':
    "values nested 10000 deep: containment, merge, equality and ordering recurse on the JavaScript stack, so they fail with a depth budget error, not jq's depth-limit message",
  'jq.test:2607:a8f7c21e':
    "values nested 10000 deep: containment, merge, equality and ordering recurse on the JavaScript stack, so they fail with a depth budget error, not jq's depth-limit message",
  'jq.test:2611:9e6304fc':
    "values nested 10000 deep: containment, merge, equality and ordering recurse on the JavaScript stack, so they fail with a depth budget error, not jq's depth-limit message",
  'jq.test:2616:ccda9bb9':
    "values nested 10000 deep: containment, merge, equality and ordering recurse on the JavaScript stack, so they fail with a depth budget error, not jq's depth-limit message",
  'jq.test:2621:b76baa3c':
    "values nested 10000 deep: containment, merge, equality and ordering recurse on the JavaScript stack, so they fail with a depth budget error, not jq's depth-limit message",
  'jq.test:2625:ecfcd0cf':
    "values nested 10000 deep: containment, merge, equality and ordering recurse on the JavaScript stack, so they fail with a depth budget error, not jq's depth-limit message",
  'jq.test:2629:b8fd9589':
    "values nested 10000 deep: containment, merge, equality and ordering recurse on the JavaScript stack, so they fail with a depth budget error, not jq's depth-limit message",
  'jq.test:2633:2fb216c1':
    "values nested 10000 deep: containment, merge, equality and ordering recurse on the JavaScript stack, so they fail with a depth budget error, not jq's depth-limit message",
  'onig.test:32:5b555aa9':
    'Oniguruma-only regex semantics (grapheme and word boundaries, empty optional groups) differ from JavaScript RegExp',
  'onig.test:54:b73f61e8':
    'Oniguruma-only regex semantics (grapheme and word boundaries, empty optional groups) differ from JavaScript RegExp',
  'onig.test:60:594db86e':
    'Oniguruma-only regex semantics (grapheme and word boundaries, empty optional groups) differ from JavaScript RegExp',
  'man.test:686:758bf17c': '$ENV and env are supplied by the host (empty by default), never the process environment',
  'man.test:690:cbcff8db': '$ENV and env are supplied by the host (empty by default), never the process environment',
};
