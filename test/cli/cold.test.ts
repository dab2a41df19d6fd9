// The cold-start bundle (src/cli/cold.ts, built by scripts/bundle-cli.mjs): which
// commands bin/tierdown runs from it, and that the build leaves it with a code
// cache this Node accepts. What the commands print is in validate.test.ts and
// help.test.ts, which run through the bundle.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COLD_COMMANDS, servesCold } from '../../src/cli/cold-commands.js';
import { COMMANDS } from '../../src/cli/commands.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the cold-start bundle', () => {
  it('serves the commands that only read a config, help and the version', () => {
    for (const argv of [['validate', '-c', 'x.yaml'], ['schema'], ['help', 'up'], ['--help'], ['-h'], ['--version'], ['-V'], []]) {
      expect(servesCold(argv)).toBe(true);
    }
  });

  it('leaves every other command to the full CLI, so no run mixes two copies of a module', () => {
    const others = COMMANDS.map((command) => command.name).filter((name) => !(COLD_COMMANDS as readonly string[]).includes(name));
    expect(others).toEqual(expect.arrayContaining(['up', 'down', 'ps', 'logs', 'restart', 'graph', 'export', 'view', 'demo']));
    for (const name of others) expect(servesCold([name])).toBe(false);
    expect(servesCold(['-c', 'x.yaml', 'validate'])).toBe(false);
  });

  it('names only commands that exist', () => {
    for (const name of COLD_COMMANDS) expect(COMMANDS.map((command) => command.name)).toContain(name);
  });

  it('is built with a code cache that V8 takes', () => {
    // A fresh Node, as the CLI starts (dist/ is built by `npm test` before jest runs).
    const script = `const loaded = require('./bin/code-cache.cjs').loadWithCodeCache('dist/src/cli/cold.cjs');
      console.log(JSON.stringify({ cacheUsed: loaded.cacheUsed, serves: loaded.exports.servesCold(['validate']) }));`;
    const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as { cacheUsed: boolean; serves: boolean };
    expect(result).toEqual({ cacheUsed: true, serves: true });
  });
});
