import type { Config } from 'jest';

// ESM route: ts-jest only transpiles (npm test runs tsc --noEmit for types);
// `./x.js` imports are mapped back to their `.ts` sources.
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30_000,
};

export default config;
