/**
 * CTK scenarios that do not pass yet, by `file: scenario name`, each with the reason. The CTK
 * suite asserts that each still fails, so an entry has to go once its construct is supported.
 * Empty: every scenario of the CTK passes.
 */
export const CTK_EXPECTED_FAILURES: Readonly<Record<string, string>> = {};
