// Two projects: fast pure tests, and e2e tests against a real kube-apiserver.
const tsJest = { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] };
module.exports = {
  // Project-level testTimeout is ignored by jest 30; e2e steps wait on a real API server.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: tsJest,
      testMatch: ['<rootDir>/translators/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
      setupFiles: ['<rootDir>/src/testing/fast-check-seed.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: tsJest,
      testMatch: ['<rootDir>/e2e/**/*.test.ts'],
      testTimeout: 120000,
      // One real control plane (e2e/cluster/harness.ts) for the whole e2e run.
      globalSetup: '<rootDir>/e2e/globalSetup.ts',
      globalTeardown: '<rootDir>/e2e/globalTeardown.ts',
    },
  ],
};
