// Three projects, as the house style asks: unit (no network), integration (real Redis, Postgres,
// Mongo), e2e (the HTTP API over real backends). TypeScript is stripped by @swc/jest for speed;
// type errors are caught by `npm run typecheck`, not by the test run.
const moduleNameMapper = {
  '^@wormhole/(interfaces|platform|jq|dsl|storage|transport|backends)$': '<rootDir>/shared/$1/src',
  '^@wormhole/(api|worker|executor|wormhole)$': '<rootDir>/services/$1/src',
};
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const common = { moduleNameMapper, transform, testEnvironment: 'node', rootDir: __dirname };
const roots = ['<rootDir>/shared', '<rootDir>/services'];

module.exports = {
  // Integration and e2e tests talk to real servers; unit tests finish far below this.
  testTimeout: 30000,
  // Probes Postgres, Redis and Mongo once; suites needing an unreachable one are skipped and listed.
  globalSetup: '<rootDir>/test/support/probe-servers.js',
  globalTeardown: '<rootDir>/test/support/report-skipped.js',
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: [...roots, '<rootDir>/test'],
      testMatch: ['**/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      roots,
      testMatch: ['**/src/**/*.int.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots,
      testMatch: ['**/src/**/*.e2e.test.ts'],
    },
  ],
};
