import type { Config } from 'jest';

// ESM route: esbuild strips the types (test/helpers/transform.cjs; npm test runs tsc --noEmit for them);
// `./x.js` imports are mapped back to their `.ts` sources.
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': '<rootDir>/test/helpers/transform.cjs' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Only to catch a hang: at load 19 a test of four `validate` runs (0.2 s of CPU each) overran 30 s.
  testTimeout: 60_000,
  // Longest files first, by the last run's times or, on a clean clone, by test/helpers/durations.json.
  testSequencer: '<rootDir>/test/helpers/sequencer.mjs',
  // Jest's default on 2 cores is one worker; most suites wait on real processes
  // and timers, so two run beside each other in ~70% of the time (495 s -> 344 s).
  // Since the light fixtures (test/fixtures/light-service.pl) the suite waits more
  // than it computes: two workers kept ~1.75 of the 2 cores busy, three keep 1.95
  // (jest 244 s -> 219 s on a quiet clean clone, 431 s of CPU). Every suite owns its
  // ports, folders, cgroups and pids, so they can run beside each other.
  maxWorkers: 3,
};

export default config;
