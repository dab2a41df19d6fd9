#!/usr/bin/env node
/**
 * Refreshes test/helpers/durations.json (the order of a run on a clean clone, see
 * test/helpers/sequencer.mjs) from a quiet full run:
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js --json --outputFile /tmp/run.json
 *   node scripts/test-durations.mjs /tmp/run.json
 * Files the run did not include keep their old time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [result] = process.argv.slice(2);
if (!result) {
  process.stderr.write('usage: node scripts/test-durations.mjs JEST_JSON_OUTPUT\n');
  process.exit(2);
}
const table = new URL('../test/helpers/durations.json', import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const durations = JSON.parse(readFileSync(table, 'utf8'));
for (const file of JSON.parse(readFileSync(result, 'utf8')).testResults) {
  const relative = path.relative(root, file.name).split(path.sep).join('/');
  durations[relative] = Math.round((file.endTime - file.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(durations).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
writeFileSync(table, `${JSON.stringify(sorted, null, 1)}\n`);
