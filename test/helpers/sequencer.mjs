/**
 * Longest test files first, so the last minute of a run is not one long file on one
 * worker while the other sits idle. jest already sorts by the times of its last run
 * (its cache), but a clean clone (CI) has none and falls back to file size, which
 * says little here: operate.test.ts (73 s) is a third the size of a 21 s file. So a
 * file jest has no time for takes its time from test/helpers/durations.json (quiet
 * runs, seconds; `node scripts/test-durations.mjs RESULT.json` refreshes it from
 * `jest --json --outputFile RESULT.json`). A file in neither list runs first: a new
 * file is more likely slow than known to be fast. jest's other rule stays: what
 * failed last time runs first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import TestSequencer from '@jest/test-sequencer';

const Sequencer = TestSequencer.default ?? TestSequencer;
const known = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8'));
// Longer than any known file (so a new one goes first), and short enough that jest's "estimated" stays readable.
const UNKNOWN_MS = 300_000;

export default class LongestFirst extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached !== undefined) return cached;
    const seconds = known[path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/')];
    return seconds === undefined ? UNKNOWN_MS : seconds * 1000;
  }
}
