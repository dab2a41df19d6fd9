// The cold-start bundle (src/cli/cold.ts, built by scripts/bundle-cli.mjs): which
// commands bin/tierdown runs from it, and that the build leaves it with a code
// cache this Node accepts. What the commands print is in validate.test.ts,
// help.test.ts and (for up, from cold-run) up.test.ts, which run through the bundles.
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COLD_BUNDLES, COLD_COMMANDS, coldBundleFor, commandsOf, servesCold } from '../../src/cli/cold-commands.js';
import { COMMANDS } from '../../src/cli/commands.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the cold-start bundle', () => {
  it('serves every command but the tour and the replay page, help and the version', () => {
    for (const argv of [['up', '-c', 'x.yaml'], ['validate', '-c', 'x.yaml'], ['schema'], ['ps'], ['down', 'api'], ['logs', '-f'], ['restart', 'api'], ['exec', 'api', 'ls'], ['config'], ['help', 'up'], ['--help'], ['-h'], ['--version'], ['-V'], []]) {
      expect(servesCold(argv)).toBe(true);
    }
  });

  it('is table-driven: a command runs from the bundle unless its entry says why not', () => {
    const full = COMMANDS.filter((command) => command.fullCli).map((command) => command.name);
    expect(full).toEqual(expect.arrayContaining(['demo', 'view']));
    expect([...COLD_COMMANDS].sort()).toEqual(COMMANDS.filter((command) => !command.fullCli).map((command) => command.name).sort());
  });

  it('leaves demo, view, --ui and --inspect to the full CLI, so no run mixes two copies of a module', () => {
    for (const name of ['demo', 'view']) expect(servesCold([name])).toBe(false);
    for (const flag of ['--ui', '--inspect=9229']) expect(servesCold(['up', flag])).toBe(false);
    expect(servesCold(['-c', 'x.yaml', 'validate'])).toBe(false);
    for (const flag of ['--ui', '--ui=4840', '--ui-keep', '--inspect']) expect(servesCold(['down', flag])).toBe(false);
  });

  it('names only commands that exist', () => {
    for (const name of COLD_COMMANDS) expect(COMMANDS.map((command) => command.name)).toContain(name);
  });

  it('sends each command to the bundle of its family: the commands that ask a running stack, the graph, up, the rest', () => {
    for (const name of ['ps', 'down', 'stop', 'start', 'restart', 'logs', 'exec']) expect(coldBundleFor([name, '-c', 'x.yaml'])).toBe('cold-stack');
    expect(coldBundleFor(['graph', '--format', 'json'])).toBe('cold-graph');
    for (const argv of [['up'], ['up', '-d', 'api'], ['up', '--report', 'r.json']]) expect(coldBundleFor(argv)).toBe('cold-run');
    for (const argv of [['validate'], ['config', '--json'], ['schema'], ['export', 'systemd'], ['completion', 'bash'], ['help', 'ps'], ['--version'], []]) expect(coldBundleFor(argv)).toBe('cold');
    for (const argv of [['demo'], ['ps', '--ui'], ['nonsense']]) expect(coldBundleFor(argv)).toBeUndefined();
    // Every cold command is in exactly one bundle.
    expect(COLD_BUNDLES.flatMap((bundle) => commandsOf(bundle)).sort()).toEqual([...COLD_COMMANDS].sort());
  });

  it.each(COLD_BUNDLES)('%s is built with a code cache that V8 takes', (bundle) => {
    // A fresh Node, as the CLI starts (dist/ is built by `npm test` before jest runs).
    const script = `const loaded = require('./bin/code-cache.cjs').loadWithCodeCache('dist/src/cli/${bundle}.cjs');
      console.log(JSON.stringify({ cacheUsed: loaded.cacheUsed, bundle: loaded.exports.coldBundleFor(['${commandsOf(bundle)[0]}']) }));`;
    const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as { cacheUsed: boolean; bundle: string };
    expect(result).toEqual({ cacheUsed: true, bundle });
  });

  it.each(COLD_BUNDLES)('%s has no import() left: a vm.Script cannot run one', (bundle) => {
    // A built-in loaded on first use (exec's node:child_process) is required instead.
    expect(readFileSync(`${ROOT}dist/src/cli/${bundle}.cjs`, 'utf8')).not.toMatch(/\bimport\(/);
  });

  it('holds in each bundle only the command modules of its family', () => {
    // A command of another family is a stub in the bundle: asking for it there says so.
    const script = `require('./bin/code-cache.cjs').loadWithCodeCache('dist/src/cli/cold-stack.cjs').exports.runCold(['validate']).then((status) => console.log(status));`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toContain('./validate.js is not in the cold-start bundle');
    expect(result.stdout.trim()).toBe('1');
  });
});
