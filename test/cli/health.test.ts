// Health while running, through the binary with real processes (docs/config.md#healthcheck,
// docs/restart.md): a service whose /health turns sick is unhealthy in `ps --json` and
// `/healthz`, healthy again when it mends (restart: no), or is stopped tiered and started
// again with the reason `unhealthy` (restart: on-failure) while its dependents run on;
// an optional service (`required: false`) that gives up never fails `/healthz`.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import type { PsRow } from '../../src/cli/ps.js';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { freePort } from '../helpers/processes.js';
import { fixtureConfig, type FixtureService } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const owned = ownProcesses();

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
});

// Short checks: a sick service is seen after two failed checks, some tens of ms.
const CHECK = { http: '/health', interval: '20ms', timeout: '1s', retries: 2 };

type Extra = Record<string, Record<string, unknown>>;

async function upWith(services: Record<string, FixtureService>, extra: Extra, args: string[] = []) {
  // service.mjs for every service: the test makes them sick and well (POST /sick, /well).
  const config = await fixtureConfig(owned.ledger, Object.fromEntries(Object.entries(services).map(([name, spec]) => [name, { ...spec, full: true }])));
  for (const [name, keys] of Object.entries(extra)) Object.assign(config.services[name], keys);
  const made = configDir(JSON.stringify(config), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  const up = startCli(['up', '--report', 'report.json', ...args], { cwd: made.dir, env });
  owned.onCleanup(up.kill);
  const post = async (name: string, what: '/sick' | '/well') => (await fetch(`http://127.0.0.1:${config.services[name].port}${what}`, { method: 'POST' })).text();
  const ps = async (): Promise<Record<string, PsRow>> => {
    const result = await runCli(['ps', '--json'], { cwd: made.dir, env });
    return Object.fromEntries((JSON.parse(result.stdout) as PsRow[]).map((row) => [row.name, row]));
  };
  const report = () => JSON.parse(readFileSync(path.join(made.dir, 'report.json'), 'utf8')) as { services: { name: string; restarts: Record<string, unknown>[] }[] };
  return { up, post, ps, report, dir: made.dir };
}

async function healthz(port: number) {
  const response = await request(`http://127.0.0.1:${port}/healthz`, { reset: true, signal: AbortSignal.timeout(10_000) });
  return { status: response.statusCode, body: (await response.body.json()) as { notReady?: Record<string, string>; services: Record<string, string> } };
}

describe('a service whose health checks fail while it runs', () => {
  it('restart: no — is unhealthy in ps --json and /healthz, and ready again once its checks pass', async () => {
    const port = await freePort();
    const { up, post, ps, dir } = await upWith({ api: {}, steady: {} }, { api: { healthcheck: CHECK, restart: 'no' } }, ['--health', String(port)]);
    await up.waitFor('services ready', 20_000);
    expect((await healthz(port)).status).toBe(200);
    // Its first check passes one interval after it is up; a service without a healthcheck has no health.
    await waitUntil(async () => (await ps()).api.health === 'healthy', 10_000, 20);
    expect((await ps()).steady.health).toBeNull();

    await post('api', '/sick');
    await up.waitFor('api: unhealthy: 2 health checks failed in a row');
    const rows = await ps();
    expect(rows.api).toMatchObject({ state: 'unhealthy', ready: false, health: 'unhealthy' });
    expect(rows.api.pid).not.toBeNull();
    expect(rows.api.note).toMatch(/2 health checks failed in a row: GET http:\/\/127\.0\.0\.1:\d+\/health answered 503/);
    expect(rows.steady.state).toBe('ready');
    expect(await healthz(port)).toMatchObject({ status: 503, body: { notReady: { api: 'unhealthy' } } });
    // `logs` has the note in its place among the service's lines.
    const logsSay = async (text: string) => (await runCli(['logs', 'api'], { cwd: dir, env })).stdout.includes(text);
    await waitUntil(() => logsSay('api | [tierdown] unhealthy: 2 health checks failed in a row'), 10_000, 50);

    await post('api', '/well');
    await up.waitFor('api: healthy again');
    expect((await ps()).api).toMatchObject({ state: 'ready', ready: true, health: 'healthy', restarts: 0 });
    const table = await runCli(['ps'], { cwd: dir, env });
    expect(table.stdout).toMatch(/^api\s+simple\s+ready\s+\d+\s+\S+\s+yes\s+healthy\s+0\s+-$/m);
    expect((await healthz(port)).status).toBe(200);
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  }, 60_000);

  it('restart: on-failure — is stopped tiered, alone, and started again; the report counts it with reason unhealthy', async () => {
    const { up, post, ps, report } = await upWith(
      { api: {}, web: { depends_on: ['api'] } },
      { api: { healthcheck: CHECK, restart: { policy: 'on-failure', backoff: '100ms' } } },
    );
    await up.waitFor('services ready', 20_000);
    const before = await ps();

    await post('api', '/sick');
    await up.waitFor('api: unhealthy');
    await up.waitFor('api: restart 1 in 100ms');
    // Back with readiness: a fresh process (whose /health is well).
    await up.waitForTimes('api: ready', 2);
    const after = await ps();
    expect(after.api).toMatchObject({ state: 'ready', restarts: 1 });
    expect(after.api.pid).not.toBe(before.api.pid);
    expect(after.api.lastExit).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    // Its dependent was not stopped for it.
    expect(after.web).toMatchObject({ state: 'ready', pid: before.web.pid });
    expect(up.output()).toMatch(/api: idle → sigterm \(SHUTDOWN\)/);
    expect(up.output()).not.toMatch(/web: idle → /);

    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(0);
    const api = report().services.find((service) => service.name === 'api');
    expect(api?.restarts).toEqual([expect.objectContaining({ reason: 'unhealthy', signal: 'SIGTERM' })]);
    expect(owned.ledger.survivors()).toEqual([]);
  }, 60_000);
});

describe('/healthz and an optional service', () => {
  it('stays 200 when a required: false worker gives up', async () => {
    const port = await freePort();
    // Ready once started; it crashes each time and may be restarted once.
    const worker: FixtureService = { http: false, env: { FIX_EXIT_AFTER_MS: '150', FIX_EXIT_CODE: '1' }, restart: { policy: 'on-failure', max_restarts: 1, backoff: '100ms' } };
    const { up } = await upWith({ steady: {}, worker }, { worker: { required: false } }, ['--health', String(port)]);
    await up.waitFor('worker: gave up after 1 restart', 20_000);
    await waitUntil(async () => (await healthz(port)).body.services.steady === 'ready', 10_000, 20);
    expect(await healthz(port)).toEqual({ status: 200, body: { status: 'ok', services: { steady: 'ready', worker: 'gave up' } } });
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(1);
    expect(owned.ledger.survivors()).toEqual([]);
  }, 60_000);
});

describe('a wrong healthcheck', () => {
  it('is a config error naming each path, exit 2, for every command', async () => {
    const made = configDir('version: 1\nservices:\n  api:\n    command: [node, a.js]\n    port: 8080\n    healthcheck: { tcp: true, interval: 1ms, intervl: 1s }\n    required: maybe\n');
    owned.onCleanup(made.cleanup);
    const result = await runCli(['validate'], { cwd: made.dir, env });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('services.api.healthcheck.interval: too short: at least "10ms"');
    expect(result.stderr).toContain('services.api.healthcheck.intervl: unknown key (did you mean "interval"?)');
    expect(result.stderr).toContain('services.api.required: expected true or false');
  });
});
