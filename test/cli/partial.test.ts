// Some services at a time, through the binary (docs/cli.md): `up -d b` starts b
// and what it needs, not the rest; `up -d` on the running stack adds what is
// missing and exits 0 (idempotent, as compose's); `stop` is `down SERVICE...`;
// `start` brings stopped services back with readiness; exit 3 with nothing
// running, 2 for a name the config does not have.
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readProc } from '../../src/actors/process/proc-table.js';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig, type FixtureService } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

// Each test runs several CLI processes one after another; on a loaded machine each takes seconds.
jest.setTimeout(120_000);

const owned = ownProcesses();

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  // Each test gets its own run folder (control sockets, log files).
  env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
});

// b needs a; w needs b; c stands alone.
const STACK: Record<string, FixtureService> = {
  a: {},
  b: { depends_on: ['a'] },
  c: {},
  w: { depends_on: ['b'] },
};

interface PsRow {
  name: string;
  state: string;
  ready: boolean;
  pid: number | null;
  note: string | null;
}

const alive = (pid: number | null) => {
  const entry = pid === null ? undefined : readProc(pid);
  return entry !== undefined && entry.state !== 'Z';
};

async function stack(services = STACK) {
  const made = configDir(JSON.stringify(await fixtureConfig(owned.ledger, services)), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  const cli = (args: string[], timeoutMs = 60_000) => runCli(args, { cwd: made.dir, env, timeoutMs });
  // The background supervisor is no fixture: killed here if `down` did not end it.
  const ownSupervisor = (output: string) => {
    const pid = Number(/supervised in the background \(pid (\d+)/.exec(output)?.[1]);
    owned.onCleanup(() => void (pid && alive(pid) && process.kill(pid, 'SIGKILL')));
    return pid;
  };
  const ps = async () => {
    const result = await cli(['ps', '--json']);
    expect(result.status).toBe(0);
    return Object.fromEntries((JSON.parse(result.stdout) as PsRow[]).map((row) => [row.name, row]));
  };
  const states = async () => Object.fromEntries(Object.entries(await ps()).map(([name, row]) => [name, row.state]));
  return { ...made, cli, ownSupervisor, ps, states };
}

describe('up -d SERVICE..., then up -d', () => {
  it('starts b and what it needs, not the rest; up -d adds what is missing, and again starts nothing', async () => {
    const { cli, ownSupervisor, ps, states } = await stack();
    const first = await cli(['up', '-d', 'b']);
    const supervisor = ownSupervisor(first.stdout);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toMatch(/2 services ready/);
    const before = await ps();
    expect(before.c).toMatchObject({ state: 'stopped', pid: null, ready: false, note: 'not started' });
    expect(await states()).toEqual({ a: 'ready', b: 'ready', c: 'stopped', w: 'stopped' });
    expect(owned.ledger.pids()).toHaveLength(2);

    const second = await cli(['up', '-d']);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('tierdown: started c, w');
    // The summary: the table ps prints.
    expect(second.stdout).toMatch(/^w\s+simple\s+ready\s+\d+/m);
    const after = await ps();
    expect(Object.values(after).map((row) => row.state)).toEqual(['ready', 'ready', 'ready', 'ready']);
    // What ran before runs on, untouched.
    expect([after.a.pid, after.b.pid]).toEqual([before.a.pid, before.b.pid]);

    const third = await cli(['up', '-d', 'c']);
    expect(third.status).toBe(0);
    expect(third.stdout).toContain('nothing to start: c already running');
    expect(owned.ledger.pids()).toHaveLength(4);
    // Still the one supervisor.
    expect(alive(supervisor)).toBe(true);

    expect((await cli(['down'])).status).toBe(0);
    await waitUntil(() => !alive(supervisor), 10_000, 20);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('stop and start', () => {
  it('stops b and its dependents while the rest runs, and starts b again, ready, leaving w down until asked', async () => {
    const { cli, ownSupervisor, ps, states } = await stack();
    ownSupervisor((await cli(['up', '-d'])).stdout);
    const before = await ps();

    const stopped = await cli(['stop', 'b']);
    expect(stopped.status).toBe(0);
    expect(await states()).toEqual({ a: 'ready', b: 'stopped', c: 'ready', w: 'stopped' });
    expect([alive(before.b.pid), alive(before.w.pid), alive(before.a.pid), alive(before.c.pid)]).toEqual([false, false, true, true]);

    const started = await cli(['start', 'b']);
    expect(started.status).toBe(0);
    // The start's own progress, then what it started.
    expect(started.stdout).toMatch(/^b: started pid \d+\nb: ready\ntierdown: started b\n$/);
    const after = await ps();
    expect(after.b).toMatchObject({ state: 'ready', ready: true });
    expect(alive(after.b.pid)).toBe(true);
    expect(after.b.pid).not.toBe(before.b.pid);
    // start names what to bring back: dependents stay down.
    expect(after.w.state).toBe('stopped');
    expect(after.a.pid).toBe(before.a.pid);

    // Stopped twice: nothing runs of it, nothing to stop (0, as down).
    expect((await cli(['stop', 'w'])).status).toBe(0);
    const again = await cli(['start', 'w', 'b']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/tierdown: started w\n$/);
    expect((await states()).w).toBe('ready');

    expect((await cli(['down'])).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('exits 1 when a started service never gets ready, stops it again, and leaves the rest running', async () => {
    const { cli, file, ownSupervisor, states } = await stack({ a: {}, slow: { env: { FIX_HTTP: 'none' }, depends_on: ['a'] } });
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.services.slow.ready = { http: '/health', timeout: '500ms' };
    writeFileSync(file, JSON.stringify(config));
    ownSupervisor((await cli(['up', '-d', 'a'])).stdout);
    const started = await cli(['start', 'slow']);
    expect(started.status).toBe(1);
    expect(started.stderr).toMatch(/tierdown start: slow: not ready after 500 ms/);
    await waitUntil(async () => (await states()).slow === 'stopped', 10_000, 50);
    expect((await states()).a).toBe('ready');
    expect((await cli(['down'])).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('up SERVICE... in the foreground', () => {
  it('starts only those; an up on the running stack adds what is missing and returns 0, the first up runs on', async () => {
    const { dir, cli, states } = await stack({ a: {}, c: {} });
    const up = startCli(['up', 'a'], { cwd: dir, env });
    owned.onCleanup(up.kill);
    await up.waitFor('1 of 2 services (a) ready', 60_000);
    expect(await states()).toEqual({ a: 'ready', c: 'stopped' });
    const joined = await cli(['up', 'c']);
    expect(joined.status).toBe(0);
    expect(joined.stderr).toContain('a stack already runs for');
    expect(joined.stdout).toContain('tierdown: started c');
    expect(await states()).toEqual({ a: 'ready', c: 'ready' });
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('names and nothing running', () => {
  // Exit 3 from start and stop with nothing running: test/cli/operate.test.ts, 'nothing running'.
  it('exits 2 for an unknown service, before anything starts', async () => {
    const { cli } = await stack({ a: { http: false } });
    for (const args of [['start', 'x'], ['stop', 'x'], ['up', '-d', 'x'], ['up', 'x']]) {
      const result = await cli(args);
      expect([args.join(' '), result.status]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toContain('unknown service "x" (known: a)');
    }
    expect(owned.ledger.pids()).toEqual([]);
  });
});
