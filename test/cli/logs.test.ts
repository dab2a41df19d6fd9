// `tierdown logs` as compose users read it, through the binary over a real
// stack run by `up -d`: -t shows each line's time, --since/--until take a
// duration or an RFC 3339 time (a bad one is exit 2 naming the flag), a colour
// per service name on a terminal only, and tierdown's notes on a service
// (crash, restart, gave up) in their place among its lines (docs/cli.md).
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import path from 'node:path';
import { readProc } from '../../src/actors/process/proc-table.js';
import { configDir, runCli } from '../helpers/cli.js';
import { inTerminal as inTerminalAt } from '../helpers/terminal.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig, type FixtureService } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

// Several CLI processes one after another; on a loaded machine each takes seconds.
jest.setTimeout(120_000);

const owned = ownProcesses();

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
});

async function stack(services: Record<string, FixtureService>) {
  const made = configDir(JSON.stringify(await fixtureConfig(owned.ledger, services)), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  const cli = (args: string[], timeoutMs?: number) => runCli(args, { cwd: made.dir, env, timeoutMs });
  const started = await cli(['up', '-d'], 60_000);
  expect(started.status).toBe(0);
  // The background supervisor is no fixture: the test kills it itself if `down` did not end it.
  const pid = Number(/supervised in the background \(pid (\d+)/.exec(started.stdout)?.[1]);
  owned.onCleanup(() => {
    const entry = pid ? readProc(pid) : undefined;
    if (entry !== undefined && entry.state !== 'Z') process.kill(pid, 'SIGKILL');
  });
  return { ...made, cli };
}

const lines = (stdout: string) => stdout.split('\n').filter(Boolean);
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/;

describe('logs -t, --since, --until', () => {
  it('shows times, keeps a window of time, and names a bad flag', async () => {
    const { cli } = await stack({ api: { env: { FIX_TICK_MS: '20' } } });
    await waitUntil(async () => lines((await cli(['logs', 'api'])).stdout).filter((text) => text.includes('tick')).length >= 3, 20_000, 50);

    const stamped = await cli(['logs', '-t', 'api']);
    expect(stamped.status).toBe(0);
    const ticks = lines(stamped.stdout).filter((text) => text.includes('tick'));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const text of ticks) expect(text).toMatch(new RegExp(`^api \\| ${ISO.source} tick \\d+$`));
    // The time shown is when the line was written: the fixture's own clock in the line agrees to the second.
    for (const text of ticks) {
      const [, at, printed] = /\| (\S+) tick (\d+)$/.exec(text) ?? [];
      expect(Math.abs(Date.parse(at) - Number(printed))).toBeLessThan(1000);
    }
    // Without -t, no time.
    expect(lines((await cli(['logs', '-n', '1', 'api'])).stdout)[0]).toMatch(/^api \| tick \d+$/);

    const recent = await cli(['logs', '--since', '10m', 'api']);
    expect(recent.status).toBe(0);
    expect(lines(recent.stdout).length).toBeGreaterThanOrEqual(3);

    const future = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    for (const args of [['--since', future], ['--until', '2000-01-01T00:00:00Z'], ['--since', '2000-01-01', '--until', '2000-01-02']]) {
      const none = await cli(['logs', ...args]);
      expect([args, none.status, none.stdout]).toEqual([args, 0, '']);
    }
    // A window around lines already shown: every line of it, and only those.
    const [first, last] = [ticks[0], ticks.at(-1) ?? ''].map((text) => ISO.exec(text)?.[0] ?? '');
    const window = lines((await cli(['logs', '-t', '--since', first, '--until', last, 'api'])).stdout).filter((text) => text.includes('tick'));
    expect(window.slice(0, ticks.length)).toEqual(ticks);

    for (const [flag, value] of [['--since', 'yesterday'], ['--until', '5x'], ['--since', '2026-02-30T00:00:00Z'], ['--since', '99999999999999999999h']]) {
      const bad = await cli(['logs', flag, value]);
      expect([flag, value, bad.status]).toEqual([flag, value, 2]);
      expect(bad.stderr).toContain(`${flag}: expected a duration like "10m" or an RFC 3339 time`);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await cli(['down'], 30_000)).status).toBe(0);
  });
});

describe('supervision notes', () => {
  it('puts crash, restart and gave up in order among the service\'s own lines', async () => {
    const { cli } = await stack({
      // Ready once started; it crashes each time, and its policy allows one restart.
      worker: { ready: false, env: { FIX_EXIT_AFTER_MS: '150', FIX_EXIT_CODE: '1' }, restart: { policy: 'on-failure', max_restarts: 1, backoff: '100ms' } },
    });
    await waitUntil(async () => (await cli(['logs', 'worker'])).stdout.includes('gave up'), 20_000, 50);
    const shown = lines((await cli(['logs', '-t', 'worker'])).stdout).map((text) => text.replace(ISO, 'T'));
    const story = shown.filter((text) => /\| T (up|\[tierdown\])/.test(text));
    expect(story).toEqual([
      'worker | T up',
      'worker | T [tierdown] crashed (exit 1)',
      'worker | T [tierdown] restart 1 in 100ms',
      'worker | T up',
      'worker | T [tierdown] crashed (exit 1)',
      'worker | T [tierdown] gave up after 1 restart (max_restarts); it stays down',
    ]);
    // Times never go back: the notes are where they happened.
    const times = lines((await cli(['logs', '-t', 'worker'])).stdout).map((text) => ISO.exec(text)?.[0] ?? '');
    expect([...times].sort()).toEqual(times);
    // Its only service gave up, so the run has ended by itself: the logs outlive it.
  });
});

describe('a colour per service', () => {
  /** `tierdown ARGS` on a pseudo-terminal; resolves with what it wrote. */
  const inTerminal = async (args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) => {
    const run = inTerminalAt(args, { cwd, env: { ...env, ...extra }, onCleanup: owned.onCleanup });
    await run.exited;
    return run.output();
  };

  it('colours each name on a terminal, the same each time, and not with NO_COLOR or in a pipe', async () => {
    const { cli, dir } = await stack({ db: { env: { FIX_TICK_MS: '50' } }, api: { env: { FIX_TICK_MS: '50' } } });
    await waitUntil(async () => lines((await cli(['logs'])).stdout).length >= 6, 20_000, 50);
    const coloured = await inTerminal(['logs', '-n', '2'], dir);
    const colourOf = (name: string) => new RegExp(`(\\u001b\\[[0-9;]+m)${name} +\\|\\u001b\\[[0-9;]+m`).exec(coloured)?.[1];
    expect(colourOf('db')).toBeDefined();
    expect(colourOf('api')).toBeDefined();
    expect(colourOf('db')).not.toBe(colourOf('api'));
    // Stable: the same colour for a name in every run.
    const again = await inTerminal(['logs', '-n', '1', 'db'], dir);
    expect(again).toContain(`${colourOf('db')}db |`);
    expect(await inTerminal(['logs', '-n', '2'], dir, { NO_COLOR: '1' })).not.toContain('\u001b[');
    expect((await runCli(['logs', '-n', '2'], { cwd: dir, env: { ...env, NO_COLOR: '' } })).stdout).not.toContain('\u001b[');
    expect((await cli(['down'], 30_000)).status).toBe(0);
  });
});
