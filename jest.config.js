/** ESM jest (middy ≥ 5 is ESM-only): run with node --experimental-vm-modules; TypeScript stripped by esbuild. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.cjs' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  // Every AWS call a handler makes in a test is checked against its role in the synthesised template.
  setupFilesAfterEnv: ['<rootDir>/test/support/aws-rules/setup.ts'],
  maxWorkers: 2,
  testTimeout: 120_000,
};
