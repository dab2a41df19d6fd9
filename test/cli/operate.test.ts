// Operating a running stack as compose users do, through the binary:
// `up -d` → `ps` → `logs` → `restart` → `down`; "nothing runs" is exit 3;
// `logs -f` follows and ends with the stack; some services at a time: `up -d b`
// starts b and what it needs, `up -d` on the running stack adds what is missing
// (idempotent), `stop` is `down SERVICE...`, `start` brings services back (docs/cli.md).
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

const STACK: Record<string, FixtureService> = {
  db: { env: { FIX_TICK_MS: '50' } },
  api: { tier: 'critical', env: { FIX_HTTP: 'good', FIX_TICK_MS: '50' }, depends_on: ['db'] },
  web: { depends_on: ['api'] },
};

const running = (pid: number | null) => {
  const entry = pid === null ? undefined : readProc(pid);
  return entry !== undefined && entry.state !== 'Z';
};

interface PsRow {
  name: string;
  state: string;
  ready: boolean;
  pid: number | null;
  note: string | null;
}

async function stack(services = STACK) {
  const made = configDir(JSON.stringify(await fixtureConfig(owned.ledger, services)), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  const cli = (args: string[], timeoutMs?: number) => runCli(args, { cwd: made.dir, env, timeoutMs });
  return { ...made, cli };
}

// The background supervisor is no fixture: the test kills it itself if `down` did not end it.
function ownSupervisor(output: string): number {
  const pid = Number(/supervised in the background \(pid (\d+)/.exec(output)?.[1]);
  owned.onCleanup(() => {
    if (pid && running(pid)) process.kill(pid, 'SIGKILL');
  });
  return pid;
}

async function psRows(cli: (args: string[]) => ReturnType<typeof runCli>): Promise<PsRow[]> {
  const result = await cli(['ps', '--json']);
  // With its stderr: a CI run once saw exit 3 (no running stack) right after `up -d`, unexplained.
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(result.stdout) as PsRow[];
}

describe('up -d, ps, logs, down', () => {
  it('starts in the background, shows the stack, its logs, and stops it with nothing left', async () => {
    const { cli } = await stack();
    const started = await cli(['up', '-d'], 60_000);
    const supervisor = ownSupervisor(started.stdout);
    expect(started.status).toBe(0);
    expect(started.stdout).toMatch(/3 services ready/);
    expect(running(supervisor)).toBe(true);

    const rows = await psRows(cli);
    // One vocabulary (docs/cli.md): each passed its readiness check.
    expect(rows.map((row) => [row.name, row.state, row.ready])).toEqual([
      ['db', 'ready', true],
      ['api', 'ready', true],
      ['web', 'ready', true],
    ]);
    expect(rows.every((row) => !('phase' in row))).toBe(true);
    for (const row of rows) expect(running(row.pid as number)).toBe(true);
    const table = await cli(['ps']);
    expect(table.stdout).toMatch(/^api\s+critical\s+ready\s+\d+/m);

    await waitUntil(async () => (await cli(['logs', '-n', '5', 'api'])).stdout.split('\n').filter(Boolean).length === 5, 10_000, 50);
    const logs = await cli(['logs', '-n', '5', 'api']);
    expect(logs.status).toBe(0);
    const lines = logs.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const text of lines) expect(text).toMatch(/^api \| tick \d+$/);

    // Idempotent, as compose's: nothing is missing, nothing starts, the same pids run on.
    const second = await cli(['up', '-d']);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('nothing to start: every service already running');
    expect((await psRows(cli)).map((row) => row.pid)).toEqual(rows.map((row) => row.pid));

    const stopped = await cli(['down'], 30_000);
    expect(stopped.status).toBe(0);
    await waitUntil(() => !running(supervisor), 10_000, 20);
    for (const row of rows) expect(running(row.pid as number)).toBe(false);
    expect(owned.ledger.survivors()).toEqual([]);
    // The last run's logs stay readable; with nothing running, ps says so.
    expect((await cli(['logs', '-n', '1', 'db'])).stdout).toMatch(/^db \| tick/);
    expect((await cli(['ps'])).status).toBe(3);
  });

  it('follows new lines with logs -f and ends when the stack stops', async () => {
    const { cli, dir } = await stack({ db: { env: { FIX_TICK_MS: '30' } } });
    ownSupervisor((await cli(['up', '-d'], 60_000)).stdout);
    const follower = startCli(['logs', '-f', '-n', '0'], { cwd: dir, env });
    owned.onCleanup(follower.kill);
    // Only lines written after it started: -n 0 shows no history.
    await follower.waitFor('db | tick');
    const seen = follower.output().split('\n').filter(Boolean).length;
    await waitUntil(() => follower.output().split('\n').filter(Boolean).length > seen + 2, 10_000, 20);
    expect((await cli(['down'], 30_000)).status).toBe(0);
    const ended = await follower.exited;
    expect(ended.status).toBe(0);
    for (const text of ended.stdout.trim().split('\n')) expect(text).toMatch(/^db \| tick \d+$/);
  });
});

describe('what ps says', () => {
  it('shows a service that gave up as "gave up", with no pid and why, in ps and in its logs', async () => {
    const { cli } = await stack({
      db: {},
      // Ready once started, then it crashes each time, and its policy allows one restart.
      worker: { ready: false, env: { FIX_EXIT_AFTER_MS: '150', FIX_EXIT_CODE: '1' }, restart: { policy: 'on-failure', max_restarts: 1, backoff: '20ms' } },
    });
    ownSupervisor((await cli(['up', '-d'], 60_000)).stdout);
    let worker: PsRow | undefined;
    await waitUntil(async () => (worker = (await psRows(cli)).find((row) => row.name === 'worker'))?.state === 'gave up', 20_000, 50);
    expect(worker).toMatchObject({ state: 'gave up', pid: null, ready: false, note: 'gave up after 1 restart (max_restarts); it stays down' });
    const table = await cli(['ps']);
    expect(table.stdout).toMatch(/^worker\s+simple\s+gave up\s+-\s/m);
    expect(table.stdout).toContain('worker: gave up after 1 restart (max_restarts); it stays down');
    expect((await cli(['logs', 'worker'])).stdout).toContain('worker | [tierdown] gave up after 1 restart (max_restarts); it stays down');
    // The stop reports the crash: down exits as up's Ctrl-C would.
    expect((await cli(['down'], 30_000)).status).toBe(1);
  });
});

describe('a failed start', () => {
  it('returns 1 from up -d under on_failure: rollback, with nothing left running', async () => {
    // api refuses every stop (503-class); web never becomes ready, so the start fails and its cleanup must end anyway.
    const { cli, file } = await stack({
      api: { tier: 'critical', env: { FIX_HTTP: '500' } },
      web: { env: { FIX_HTTP: 'none' }, depends_on: ['api'] },
    });
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.on_failure = 'rollback';
    config.services.web.ready = { http: '/health', timeout: '500ms' };
    writeFileSync(file, JSON.stringify(config));
    const started = await cli(['up', '-d'], 60_000);
    expect(started.status).toBe(1);
    expect(started.stderr).toMatch(/the start failed: web: not ready after 500 ms/);
    expect(owned.ledger.survivors()).toEqual([]);
    expect((await cli(['ps'])).status).toBe(3);
  });
});

describe('nothing running', () => {
  it('exits 3 from ps, logs, restart, start, stop and down', async () => {
    const { cli } = await stack({ db: { http: false } });
    for (const args of [['ps'], ['ps', '--json'], ['logs'], ['logs', '-f'], ['restart', 'db'], ['start', 'db'], ['stop', 'db'], ['down']]) {
      const result = await cli(args);
      expect([args.join(' '), result.status]).toEqual([args.join(' '), 3]);
      expect(result.stderr).toMatch(/no .*(running|logs)/);
    }
  });
});

describe('restart', () => {
  it('restarts a service and its dependents in order: new pids, same for the rest', async () => {
    const { cli } = await stack();
    ownSupervisor((await cli(['up', '-d'], 60_000)).stdout);
    const before = new Map((await psRows(cli)).map((row) => [row.name, row.pid]));
    const restarted = await cli(['restart', 'api', '--json'], 30_000);
    expect(restarted.status).toBe(0);
    const events = restarted.stdout.trim().split('\n').map((text) => JSON.parse(text) as { type: string; service?: string });
    // Stopped web before api, started api before web.
    const stops = events.filter((event) => event.type === 'transition').map((event) => event.service);
    expect(stops.indexOf('web')).toBeLessThan(stops.indexOf('api'));
    const spawns = events.filter((event) => event.type === 'spawned').map((event) => event.service);
    expect(spawns).toEqual(['api', 'web']);
    const after = new Map((await psRows(cli)).map((row) => [row.name, row.pid]));
    expect(after.get('db')).toBe(before.get('db'));
    expect(after.get('api')).not.toBe(before.get('api'));
    expect(after.get('web')).not.toBe(before.get('web'));
    expect(running(before.get('api') as number)).toBe(false);
    expect((await cli(['down'], 30_000)).status).toBe(0);
  });

  it('names an unknown service with exit 2', async () => {
    const { cli } = await stack({ db: { http: false } });
    const result = await cli(['restart', 'nope']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown service "nope" (known: db)');
  });
});

// b needs a; w needs b; c stands alone.
const SOME: Record<string, FixtureService> = {
  a: {},
  b: { depends_on: ['a'] },
  c: {},
  w: { depends_on: ['b'] },
};

/** ps --json by service name, and just the states. */
function readers(cli: (args: string[]) => ReturnType<typeof runCli>) {
  const ps = async () => Object.fromEntries((await psRows(cli)).map((row) => [row.name, row]));
  const states = async () => Object.fromEntries((await psRows(cli)).map((row) => [row.name, row.state]));
  return { ps, states };
}

describe('up -d SERVICE..., then up -d', () => {
  it('starts b and what it needs, not the rest; up -d adds what is missing, and again starts nothing', async () => {
    const { cli } = await stack(SOME);
    const { ps, states } = readers(cli);
    const first = await cli(['up', '-d', 'b'], 60_000);
    const supervisor = ownSupervisor(first.stdout);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toMatch(/2 services ready/);
    const before = await ps();
    expect(before.c).toMatchObject({ state: 'stopped', pid: null, ready: false, note: 'not started' });
    expect(await states()).toEqual({ a: 'ready', b: 'ready', c: 'stopped', w: 'stopped' });
    expect(owned.ledger.pids()).toHaveLength(2);

    const second = await cli(['up', '-d'], 60_000);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('tierdown: started c, w');
    // The summary: the table ps prints.
    expect(second.stdout).toMatch(/^w\s+simple\s+ready\s+\d+/m);
    const after = await ps();
    expect(Object.values(after).map((row) => row.state)).toEqual(['ready', 'ready', 'ready', 'ready']);
    // What ran before runs on, untouched.
    expect([after.a.pid, after.b.pid]).toEqual([before.a.pid, before.b.pid]);

    const third = await cli(['up', '-d', 'c'], 60_000);
    expect(third.status).toBe(0);
    expect(third.stdout).toContain('nothing to start: c already running');
    expect(owned.ledger.pids()).toHaveLength(4);
    // Still the one supervisor.
    expect(running(supervisor)).toBe(true);

    expect((await cli(['down'], 60_000)).status).toBe(0);
    await waitUntil(() => !running(supervisor), 10_000, 20);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('stop and start', () => {
  it('stops b and its dependents while the rest runs, and starts b again, ready, leaving w down until asked', async () => {
    const { cli } = await stack(SOME);
    const { ps, states } = readers(cli);
    ownSupervisor((await cli(['up', '-d'], 60_000)).stdout);
    const before = await ps();

    const stopped = await cli(['stop', 'b'], 60_000);
    expect(stopped.status).toBe(0);
    expect(await states()).toEqual({ a: 'ready', b: 'stopped', c: 'ready', w: 'stopped' });
    expect([running(before.b.pid), running(before.w.pid), running(before.a.pid), running(before.c.pid)]).toEqual([false, false, true, true]);

    const started = await cli(['start', 'b'], 60_000);
    expect(started.status).toBe(0);
    // The start's own progress, then what it started.
    expect(started.stdout).toMatch(/^b: started pid \d+\nb: ready\ntierdown: started b\n$/);
    const after = await ps();
    expect(after.b).toMatchObject({ state: 'ready', ready: true });
    expect(running(after.b.pid)).toBe(true);
    expect(after.b.pid).not.toBe(before.b.pid);
    // start names what to bring back: dependents stay down.
    expect(after.w.state).toBe('stopped');
    expect(after.a.pid).toBe(before.a.pid);

    // Stopped twice: nothing runs of it, nothing to stop (0, as down).
    expect((await cli(['stop', 'w'], 60_000)).status).toBe(0);
    const again = await cli(['start', 'w', 'b'], 60_000);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/tierdown: started w\n$/);
    expect((await states()).w).toBe('ready');

    expect((await cli(['down'], 60_000)).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('exits 1 when a started service never gets ready, stops it again, and leaves the rest running', async () => {
    const { cli, file } = await stack({ a: {}, slow: { env: { FIX_HTTP: 'none' }, depends_on: ['a'] } });
    const { states } = readers(cli);
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.services.slow.ready = { http: '/health', timeout: '500ms' };
    writeFileSync(file, JSON.stringify(config));
    ownSupervisor((await cli(['up', '-d', 'a'], 60_000)).stdout);
    const started = await cli(['start', 'slow'], 60_000);
    expect(started.status).toBe(1);
    expect(started.stderr).toMatch(/tierdown start: slow: not ready after 500 ms/);
    await waitUntil(async () => (await states()).slow === 'stopped', 10_000, 50);
    expect((await states()).a).toBe('ready');
    expect((await cli(['down'], 60_000)).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('up SERVICE... in the foreground', () => {
  it('starts only those; an up on the running stack adds what is missing and returns 0, the first up runs on', async () => {
    const { dir, cli } = await stack({ a: {}, c: {} });
    const { states } = readers(cli);
    const up = startCli(['up', 'a'], { cwd: dir, env });
    owned.onCleanup(up.kill);
    await up.waitFor('1 of 2 services (a) ready', 60_000);
    expect(await states()).toEqual({ a: 'ready', c: 'stopped' });
    const joined = await cli(['up', 'c', '--order', 'none'], 60_000);
    expect(joined.status).toBe(0);
    expect(joined.stderr).toContain('a stack already runs for');
    expect(joined.stderr).toContain('not applied, they belong to the up that runs the stack: --order');
    expect(joined.stdout).toContain('tierdown: started c');
    expect(await states()).toEqual({ a: 'ready', c: 'ready' });
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('unknown names', () => {
  it('exits 2 from start, stop, up and up -d, before anything starts', async () => {
    const { cli } = await stack({ a: { http: false } });
    for (const args of [['start', 'x'], ['stop', 'x'], ['up', '-d', 'x'], ['up', 'x']]) {
      const result = await cli(args);
      expect([args.join(' '), result.status]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toContain('unknown service "x" (known: a)');
    }
    expect(owned.ledger.pids()).toEqual([]);
  });
});
