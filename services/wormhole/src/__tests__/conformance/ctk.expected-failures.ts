/**
 * CTK scenarios that do not pass yet, by `file: scenario name`, each with the reason. The CTK
 * suite asserts that each still fails, so an entry has to go once its construct is supported.
 */
export const CTK_EXPECTED_FAILURES: Readonly<Record<string, string>> = {
  'call.feature: Call OpenAPI With Content Output': 'call: openapi is not supported yet (configuration error 400)',
  'call.feature: Call OpenAPI With Response Output': 'call: openapi is not supported yet (configuration error 400)',
};
