/** One case of jq's own `.test` files (tests/jq.test and friends, read at run time, never committed). */
export interface JqTestCase {
  readonly file: string;
  /** 1-based line of the program, for skip lists and failure messages. */
  readonly line: number;
  readonly program: string;
  /** `%%FAIL` cases: the program must not compile (or must fail); `message` is the expected error. */
  readonly fail: boolean;
  readonly ignoreMessage: boolean;
  readonly input: string;
  readonly expected: readonly string[];
}

/**
 * jq's test format: blocks separated by blank lines; `#` comment lines; a block is a program
 * line, an input line, then expected output lines (JSON texts). A block starting with `%%FAIL`
 * (or `%%FAIL IGNORE MSG`) holds a program that must fail to compile, then the error message.
 */
export function parseJqTests(file: string, text: string): JqTestCase[] {
  const lines = text.split('\n');
  const cases: JqTestCase[] = [];
  let i = 0;
  const skipBlank = (): void => {
    while (i < lines.length && (lines[i]?.trim() === '' || lines[i]?.startsWith('#'))) i++;
  };
  for (;;) {
    skipBlank();
    if (i >= lines.length) return cases;
    let fail = false;
    let ignoreMessage = false;
    const head = lines[i] as string;
    if (head.startsWith('%%FAIL')) {
      fail = true;
      ignoreMessage = head.includes('IGNORE MSG');
      i++;
    }
    const line = i + 1;
    const program = lines[i++] ?? '';
    const block: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '') {
      const l = lines[i++] as string;
      if (!l.startsWith('#')) block.push(l);
    }
    if (fail) cases.push({ file, line, program, fail, ignoreMessage, input: 'null', expected: block });
    else cases.push({ file, line, program, fail, ignoreMessage, input: block[0] ?? 'null', expected: block.slice(1) });
  }
}
