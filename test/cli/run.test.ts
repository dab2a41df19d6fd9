// The whole run of `tierdown up` through the binary: services that crash or
// exit while the stack runs (each restart policy, max_restarts, a stop during
// a backoff), a refused stop that `up` survives, one report per run, and a run
// that ends by itself (docs/restart.md).
import { beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { fixtureConfig, type FixtureService } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
});

interface ReportJson {
  outcome: string;
  services: { name: string; outcome: string; method: string; exitCode: number | null; signal: string | null; restarts: unknown[] }[];
  earlier: ReportJson[];
}

async function upWith(services: Record<string, FixtureService>, extra: Record<string, unknown> = {}, args: string[] = []) {
  const config = await fixtureConfig(owned.ledger, services, extra);
  const made = configDir(JSON.stringify(config), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  const up = startCli(['up', '--report', 'report.json', ...args], { cwd: made.dir, env });
  owned.onCleanup(up.kill);
  const report = (): ReportJson => JSON.parse(readFileSync(path.join(made.dir, 'report.json'), 'utf8'));
  const entry = (name: string) => report().services.find((service) => service.name === name)!;
  /** Ends the service now (POST /exit): only once the test has seen tierdown call it ready. */
  const end = async (name: string) => {
    const response = await fetch(`http://127.0.0.1:${config.services[name].port}/exit`, { method: 'POST' });
    await response.text();
  };
  return { ...made, up, report, entry, end };
}

// Ends as the test says (POST /exit), never on a timer that a loaded machine may beat its readiness to.
const ending = (exit: Record<string, string>, policy: unknown): FixtureService => ({ env: exit, restart: policy });
const crashing = (code: string, policy: unknown) => ending({ FIX_EXIT_CODE: code }, policy);
const steady: FixtureService = {};

describe('a service that ends while the stack runs', () => {
  it('is restarted on failure, with doubling backoff, until max_restarts; then it stays down and up exits 1', async () => {
    const { up, entry, report, end } = await upWith({ worker: crashing('1', { policy: 'on-failure', max_restarts: 2, backoff: '100ms' }), steady });
    await up.waitFor('services ready');
    await end('worker');
    // Each restarted worker crashes only once tierdown has seen it ready again.
    await up.waitForTimes('worker: ready', 2);
    await end('worker');
    await up.waitForTimes('worker: ready', 3);
    await end('worker');
    await up.waitFor('worker: gave up after 2 restarts');
    expect(up.output()).toContain('worker: crashed (exit 1)');
    expect(up.output()).toContain('worker: restart 1 in 100ms');
    expect(up.output()).toContain('worker: restart 2 in 200ms');
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(1);
    expect(entry('worker')).toMatchObject({ outcome: 'crashed', method: 'self', exitCode: 1 });
    expect(entry('worker').restarts).toHaveLength(2);
    expect(entry('worker').restarts[0]).toMatchObject({ exitCode: 1, signal: null });
    expect(entry('steady')).toMatchObject({ outcome: 'stopped', method: 'signal' });
    expect(report().outcome).toBe('stopped');
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('fails the start, and is not restarted, when it exits before it is ready during the first start', async () => {
    // Nothing ever answers its /health: it exits (status 1) while tierdown waits for readiness.
    const { up } = await upWith({ steady, worker: { env: { FIX_HTTP: 'none', FIX_EXIT_AFTER_MS: '100', FIX_EXIT_CODE: '1' }, restart: { policy: 'on-failure', backoff: '100ms' } } });
    const result = await up.exited;
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/worker: failed to start: exited \(code 1\) before it was ready/);
    // One exit, one decision: a start failure, never also a restart.
    expect(result.stdout).not.toContain('worker: restart');
    expect(result.stdout.match(/failed to start/g)).toHaveLength(1);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('is left down under restart: no when killed by SIGKILL, reported crashed with the signal', async () => {
    const { up, entry, end } = await upWith({ worker: ending({ FIX_EXIT_SIGNAL: 'SIGKILL' }, 'no'), steady });
    await up.waitFor('services ready');
    await end('worker');
    await up.waitFor('worker: crashed (killed by SIGKILL)');
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(1);
    expect(up.output()).not.toContain('worker: restart');
    expect(entry('worker')).toMatchObject({ outcome: 'crashed', method: 'self', exitCode: null, signal: 'SIGKILL', restarts: [] });
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('is restarted after a clean exit only under always; when everything has ended by itself, up ends with status 0', async () => {
    const { up, entry, report, end } = await upWith({
      again: { ...crashing('0', { policy: 'always', max_restarts: 1, backoff: '100ms' }) },
      once: crashing('0', 'on-failure'),
    });
    await up.waitFor('services ready');
    await Promise.all([end('again'), end('once')]);
    await up.waitForTimes('again: ready', 2);
    await end('again');
    const result = await up.exited;
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('once: exited (exit 0)');
    expect(result.stdout).not.toContain('once: restart');
    expect(result.stdout).toContain('again: restart 1 in 100ms');
    expect(entry('again')).toMatchObject({ outcome: 'exited', method: 'self', exitCode: 0 });
    expect(entry('again').restarts).toHaveLength(1);
    expect(entry('once')).toMatchObject({ outcome: 'exited', restarts: [] });
    expect(report().outcome).toBe('stopped');
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('ends up with status 1 when the services that ended by themselves include a crash', async () => {
    const { up, entry, end } = await upWith({ fine: crashing('0', 'no'), broken: crashing('3', 'no') });
    await up.waitFor('services ready');
    await Promise.all([end('fine'), end('broken')]);
    expect((await up.exited).status).toBe(1);
    expect(entry('broken')).toMatchObject({ outcome: 'crashed', exitCode: 3 });
    expect(entry('fine')).toMatchObject({ outcome: 'exited', exitCode: 0 });
  });

  it('is not restarted when Ctrl-C comes during its backoff', async () => {
    // The longest backoff there is: a test held up that long has timed out anyway.
    const { up, entry, end } = await upWith({ worker: crashing('1', { policy: 'on-failure', backoff: '30s' }), steady });
    await up.waitFor('services ready');
    await end('worker');
    await up.waitFor('worker: restart 1 in 30s');
    const spawnsBefore = up.count('worker: started pid');
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(1);
    expect(up.count('worker: started pid')).toBe(spawnsBefore);
    expect(entry('worker')).toMatchObject({ outcome: 'crashed', restarts: [] });
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('stops during a run', () => {
  it('keeps supervising after a refused stop; a later down succeeds and up exits with its status', async () => {
    const refuse = path.join(owned.ledger.dir, 'refused');
    const { dir, up, report } = await upWith(
      { db: {}, api: { tier: 'critical', env: { FIX_HTTP: 'good', FIX_REFUSE_ONCE: refuse }, depends_on: ['db'] } },
      { on_failure: 'rollback' },
    );
    await up.waitFor('services ready');
    up.child.kill('SIGINT');
    await up.waitFor('refused to stop; the stack runs again');
    expect(up.output()).toMatch(/rolled back: api \(shutdown request: .*503/);
    expect(up.child.exitCode).toBeNull();
    const down = await runCli(['down'], { cwd: dir, env });
    expect(down.status).toBe(0);
    expect((await up.exited).status).toBe(0);
    const run = report();
    expect(run.outcome).toBe('stopped');
    expect(run.earlier.map((stop) => stop.outcome)).toEqual(['rolledBack']);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('keeps every stop of the run in one report: down api, then Ctrl-C', async () => {
    const { dir, up, report } = await upWith({ db: {}, api: { depends_on: ['db'] } });
    await up.waitFor('services ready');
    const partial = await runCli(['down', 'api'], { cwd: dir, env });
    expect(partial.status).toBe(0);
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(0);
    const run = report();
    expect(run.services.map((service) => service.name)).toEqual(['db']);
    expect(run.earlier).toHaveLength(1);
    expect(run.earlier[0].services.map((service) => service.name)).toEqual(['api']);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
