// `tierdown down [SERVICE...]` against a real `tierdown up` process: it stops
// the stack (or SERVICE and its dependents) through up's control socket,
// shows the stop as up does, and exits with the same status (SPEC §4, §6).
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { fixtureConfig, type FixtureService } from '../helpers/stack.js';
import { readProc } from '../../src/actors/process/proc-table.js';
import { ownProcesses } from '../helpers/owned.js';

// Each test runs `up` and `down` processes; beside busy loops and other suites a start of
// three services overran the 15 s bound (load 16-24): bounds here only catch hangs.
jest.setTimeout(120_000);
const HANG_MS = 60_000;

const owned = ownProcesses();

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  // Each test gets its own run folder for control sockets.
  env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
});

const STACK: Record<string, FixtureService> = {
  db: {},
  api: { tier: 'critical', env: { FIX_HTTP: 'good' }, depends_on: ['db'] },
  web: { depends_on: ['api'] },
};

async function upAndReady(services: Record<string, FixtureService> = STACK, args: string[] = []) {
  const made = configDir(JSON.stringify(await fixtureConfig(owned.ledger, services)), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  const up = startCli(['up', ...args], { cwd: made.dir, env });
  owned.onCleanup(up.kill);
  await up.waitFor('services ready', HANG_MS);
  return { ...made, up };
}

function down(args: string[], cwd: string) {
  return runCli(['down', ...args], { cwd, env, timeoutMs: HANG_MS });
}

const pidOf = (output: string, service: string) => Number(new RegExp(`${service}: started pid (\\d+)`).exec(output)?.[1]);
const running = (pid: number) => {
  const entry = readProc(pid);
  return entry !== undefined && entry.state !== 'Z';
};

describe('tierdown down', () => {
  it('shuts down the stack of a running up, tiered, and exits with its status', async () => {
    const { dir, up } = await upAndReady();
    const result = await down(['--report', 'down.json'], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('shutdown: [web] → [api] → [db]');
    expect(result.stdout).toMatch(/api\s+critical\s+1\s+stopped\s+http/);
    expect(result.stdout).toContain('stopped in');
    const report = JSON.parse(readFileSync(path.join(dir, 'down.json'), 'utf8'));
    expect(report.waves).toEqual([['web'], ['api'], ['db']]);
    const upResult = await up.exited;
    expect(upResult.status).toBe(0);
    expect(upResult.stdout).toContain('tierdown down: shutting down tiered');
    expect(owned.ledger.survivors()).toEqual([]);
    // up leaves no socket behind.
    expect(readdirSync(path.join(owned.ledger.dir, 'run', 'tierdown')).filter((name) => name.endsWith('.sock'))).toEqual([]);
  });

  it('stops SERVICE and what depends on it, and leaves the rest running under up', async () => {
    const { dir, up } = await upAndReady();
    const db = pidOf(up.output(), 'db');
    const partial = await down(['api', '--report', 'partial.json'], dir);
    expect(partial.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'partial.json'), 'utf8'));
    expect(report.waves).toEqual([['web'], ['api']]);
    expect(report.services.map((service: { name: string; method: string }) => [service.name, service.method])).toEqual([
      ['web', 'signal'],
      ['api', 'http'],
    ]);
    expect(running(db)).toBe(true);
    expect(up.child.exitCode).toBeNull();
    expect(up.output()).toContain('tierdown down: stopping api and its dependents');

    const rest = await down([], dir);
    expect(rest.status).toBe(0);
    expect(rest.stdout).toContain('shutdown: [db]');
    expect((await up.exited).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('stops an up that is still starting, and up exits instead of waiting for readiness', async () => {
    const config = await fixtureConfig(owned.ledger, { db: {}, slow: { env: { FIX_HTTP: 'none' }, depends_on: ['db'] } });
    const made = configDir(JSON.stringify(config), 'tierdown.json');
    owned.onCleanup(made.cleanup);
    const up = startCli(['up'], { cwd: made.dir, env });
    owned.onCleanup(up.kill);
    await up.waitFor('slow: started pid', HANG_MS);
    const result = await down([], made.dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('shutdown: [slow] → [db]');
    // A stop asked for mid-start is no failure: everything stopped, so up exits 0 (SPEC §6) and leaves nothing behind.
    expect((await up.exited).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('prints NDJSON with --json, ending with the report', async () => {
    const { dir } = await upAndReady({ solo: {} });
    const result = await down(['--json'], dir);
    expect(result.status).toBe(0);
    const events = result.stdout.trim().split('\n').map((text) => JSON.parse(text));
    expect(events[0]).toMatchObject({ type: 'shutdownStarted', services: ['solo'] });
    expect(events.at(-1)).toMatchObject({ type: 'report', report: { outcome: 'stopped' } });
  });

  it('prints plain lines, without escape codes, when stdout is not a terminal', async () => {
    const { dir } = await upAndReady({ solo: {} });
    const result = await runCli(['down'], { cwd: dir, env: { ...env, NO_COLOR: '' } });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^solo: idle → sigterm \(SHUTDOWN\)/m);
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it('exits 1 when the stop rolls back, and up goes on running the stack, shown as it runs', async () => {
    const { dir, up } = await upAndReady({ db: {}, ledgerd: { tier: 'critical', env: { FIX_HTTP: '500' }, depends_on: ['db'] } }, ['--on-failure', 'rollback']);
    const result = await down(['--report', 'r.json'], dir);
    expect(result.status).toBe(1);
    expect(JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')).outcome).toBe('rolledBack');
    expect(up.child.exitCode).toBeNull();
    await up.waitFor('refused to stop; the stack runs again', HANG_MS);
    // The one that refused serves on, and is shown so: ready, with its pid — not "starting".
    const ps = await runCli(['ps', '--json'], { cwd: dir, env });
    const rows = JSON.parse(ps.stdout) as { name: string; state: string; ready: boolean; pid: number | null }[];
    expect(rows.map((row) => [row.name, row.state, row.ready])).toEqual([
      ['db', 'ready', true],
      ['ledgerd', 'ready', true],
    ]);
    expect(rows.find((row) => row.name === 'ledgerd')?.pid).toBe(pidOf(up.output(), 'ledgerd'));
  });

  it('stops a stack whose service always refuses: --on-failure escalate for this stop, or --force', async () => {
    const { dir, up } = await upAndReady({ db: {}, ledgerd: { tier: 'critical', env: { FIX_HTTP: '500' }, depends_on: ['db'] } }, ['--on-failure', 'rollback']);
    expect((await down(['ledgerd'], dir)).status).toBe(1);
    // This stop escalates past the refusal (SIGTERM), whatever the run's policy.
    const escalated = await down(['ledgerd', '--on-failure', 'escalate', '--report', 'escalated.json'], dir);
    expect(escalated.status).toBe(0);
    const [ledgerd] = JSON.parse(readFileSync(path.join(dir, 'escalated.json'), 'utf8')).services;
    expect(ledgerd.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    // --force: no request at all, SIGKILL at once.
    const forced = await down(['--force', '--report', 'forced.json'], dir);
    expect(forced.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'forced.json'), 'utf8')).services.map((service: { path: string[] }) => service.path)).toEqual([['idle', 'forceKill', 'stopped']]);
    // Its graceful steps were skipped, and the summary says so rather than a plain "stopped".
    expect(forced.stdout).toMatch(/^\s*db\s+simple\s+0\s+forced, never asked\s+kill/m);
    expect(forced.stdout).toMatch(/^stopped in .*, 1 forced, never asked$/m);
    expect((await up.exited).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('exits 1, as up does, when a service of the stack had crashed', async () => {
    const { dir, up } = await upAndReady({ steady: {}, crasher: { ready: false, env: { FIX_EXIT_AFTER_MS: '300', FIX_EXIT_CODE: '3' } } });
    await up.waitFor('crasher: crashed (exit 3)', HANG_MS);
    const result = await down(['--report', 'crashed.json'], dir);
    expect(result.status).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, 'crashed.json'), 'utf8'));
    expect(report.services.find((service: { name: string }) => service.name === 'crasher')).toMatchObject({ outcome: 'crashed', exitCode: 3 });
    expect((await up.exited).status).toBe(1);
  });

  it('exits 2 and names the service when it is not in the config', async () => {
    const { dir, up } = await upAndReady({ solo: {} });
    const result = await down(['nope'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown service "nope" (known: solo)');
    expect(up.child.exitCode).toBeNull();
  });

  it('exits 3 (no running stack) with a clear message when no up runs for the config', async () => {
    const made = configDir(JSON.stringify(await fixtureConfig(owned.ledger, { solo: {} })), 'tierdown.json');
    owned.onCleanup(made.cleanup);
    const result = await down([], made.dir);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`no 'tierdown up' is running for ${made.file}`);
    expect(existsSync(path.join(owned.ledger.dir, 'run', 'tierdown'))).toBe(false);
  });

  it('exits 2 on a bad config, like every command', async () => {
    const made = configDir('version: 1\nservices:\n  a: { tier: nope }\n');
    owned.onCleanup(made.cleanup);
    const result = await down([], made.dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('services.a');
  });
});
