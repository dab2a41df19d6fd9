// Hostile services against the real binary: refusals that stream slowly or
// without end, a process squatting on a service's port, a service echoing the
// token and escape sequences, endless lines, a reader that stops reading, a
// report path that cannot be written, a certificate the probe must reject.
// Memory bounds are generous: they catch unbounded growth, not slowness; so are the
// bounds on waits (beside two busy loops at load 16, `up` printed nothing for 20 s).
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { quietPort } from '../helpers/ports.js';

const owned = ownProcesses();
const HOSTILE = fileURLToPath(new URL('../fixtures/hostile-service.mjs', import.meta.url));
const MB = 1024 * 1024;

type Service = { env?: Record<string, string>; port?: number; tier?: string; ready?: object; depends_on?: string[]; timeouts?: object };

function hostileConfig(services: Record<string, Service>) {
  const entries = Object.entries(services).map(([name, spec]) => [
    name,
    {
      command: [process.execPath, HOSTILE],
      env: { FIX_PID_FILE: owned.ledger.pidFile, ...(spec.port ? { HOSTILE_PORT: String(spec.port) } : {}), ...spec.env },
      ...(spec.port ? { port: spec.port } : {}),
      tier: spec.tier ?? 'simple',
      ...(spec.ready ? { ready: spec.ready } : {}),
      ...(spec.depends_on ? { depends_on: spec.depends_on } : {}),
      ...(spec.timeouts ? { timeouts: spec.timeouts } : {}),
    },
  ]);
  const made = configDir(JSON.stringify({ version: 1, defaults: { timeouts: { http: '2s', exit: '2s', sigterm: '2s', kill: '1s' } }, services: Object.fromEntries(entries) }), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  return made;
}

function up(dir: string, args: string[] = []) {
  const cli = startCli(['up', ...args], { cwd: dir, env: { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') } });
  owned.onCleanup(cli.kill);
  return cli;
}

/** VmRSS of a process in bytes (0 once it is gone). */
function rss(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the peak RSS of `pid` until `until` settles. */
async function peakRss<T>(pid: number, until: Promise<T>): Promise<{ peak: number; result: T }> {
  let peak = rss(pid);
  let done = false;
  const result = until.finally(() => (done = true));
  while (!done) {
    peak = Math.max(peak, rss(pid));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { peak, result: await result };
}

const reportOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));

describe('a refusal is the status line, not the body', () => {
  // web depends on api: web stops first, api refuses, web is started again (a rollback with something to restore).
  const stack = (port: number, mode: string, http = '2s') =>
    hostileConfig({
      api: { port, tier: 'critical', ready: { http: '/health' }, env: { HOSTILE_SHUTDOWN: mode }, timeouts: { http } },
      web: { depends_on: ['api'] },
    });

  // `up` goes on supervising the restored stack after a rollback: the test reads its output, then cleans up.
  it.each([
    ['the 503 body comes 3 s after the status line', 'slow-refusal'],
    ['the 503 status line is followed by headers that never end', 'drip-headers'],
  ])('rollback holds when %s (http budget 2 s)', async (_, mode) => {
    const { dir } = stack(await quietPort(), mode);
    const cli = up(dir, ['--on-failure', 'rollback']);
    await cli.waitFor('services ready', 60_000);
    cli.child.kill('SIGINT');
    await cli.waitFor('api: httpShutdown → failed (HTTP_REJECTED)', 30_000);
    expect(cli.output()).not.toContain('api: httpShutdown → sigterm');
  }, 120_000);

  it('a 400 MB refusal body is read only as far as its limit: engine memory stays bounded', async () => {
    // A 10 s budget: without the limit the whole body would be read within it.
    const { dir } = stack(await quietPort(), 'huge-refusal', '10s');
    const cli = up(dir, ['--on-failure', 'rollback']);
    await cli.waitFor('services ready', 60_000);
    const before = rss(cli.child.pid!);
    cli.child.kill('SIGINT');
    const { peak } = await peakRss(cli.child.pid!, cli.waitFor('api: httpShutdown → failed (HTTP_REJECTED)', 30_000));
    expect(peak - before).toBeLessThan(100 * MB);
  }, 120_000);
});

describe('a process squatting on the service port', () => {
  async function squatter(port: number) {
    const record = path.join(owned.ledger.dir, 'authorizations');
    writeFileSync(record, '');
    const child = spawn(process.execPath, [HOSTILE], {
      env: { ...process.env, FIX_PID_FILE: owned.ledger.pidFile, HOSTILE_PORT: String(port), HOSTILE_SHUTDOWN: 'record', HOSTILE_RECORD: record },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    child.stdout!.destroy();
    child.unref();
    return { pid: child.pid!, received: () => readFileSync(record, 'utf8') };
  }

  it('fails readiness, naming the squatter, and never sends it the token', async () => {
    const port = await quietPort();
    const squat = await squatter(port);
    const { dir } = hostileConfig({ api: { port, tier: 'critical', ready: { http: '/health' } } });
    const cli = up(dir, ['--report', 'r.json']);
    const result = await cli.exited;
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`port ${port} is held by pid ${squat.pid}, not by this service`);
    expect(result.stdout).not.toContain('services ready');
    expect(squat.received()).toBe('');
  }, 120_000);

  it('skips the shutdown request (not reachable → SIGTERM) when the service never bound its port', async () => {
    const port = await quietPort();
    const squat = await squatter(port);
    // Readiness does not look at the port here: only the shutdown step can notice.
    const { dir } = hostileConfig({ api: { port, tier: 'critical' } });
    const cli = up(dir, ['--report', 'r.json']);
    await cli.waitFor('services ready', 60_000);
    cli.child.kill('SIGINT');
    expect((await cli.exited).status).toBe(0);
    const [api] = reportOf(dir).services;
    expect(api.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(api.transitions[1].reason).toBe('HTTP_UNREACHABLE');
    expect(api.detail).toContain(`not sent: port ${port} is held by pid ${squat.pid}, not by this service`);
    expect(squat.received()).toBe('');
  }, 120_000);
});

describe('the run token never leaves the machine', () => {
  it('a remote service without shutdown.tokenFile is a config error (exit 2, naming the path)', async () => {
    const made = configDir('version: 1\nservices:\n  ledger: { url: "http://10.0.0.7:9000", tier: critical }\n');
    owned.onCleanup(made.cleanup);
    const result = await runCli(['validate'], { cwd: made.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('services.ledger.shutdown.tokenFile: required for a remote service');
  });
});

describe('text from a service reaches no terminal, event or report raw', () => {
  it('redacts the token it echoes or prints, and strips its escape sequences', async () => {
    const tokenOut = path.join(owned.ledger.dir, 'token');
    const { dir } = hostileConfig({
      api: { port: await quietPort(), tier: 'critical', ready: { http: '/health' }, env: { HOSTILE_SHUTDOWN: 'echo', HOSTILE_SAY_TOKEN: '1', HOSTILE_TOKEN_OUT: tokenOut } },
    });
    const cli = up(dir, ['--report', 'r.json']);
    await cli.waitFor('services ready', 60_000);
    await cli.waitFor('my token is');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    const token = readFileSync(tokenOut, 'utf8');
    expect(token.length).toBeGreaterThan(20);
    const everything = `${result.stdout}${result.stderr}${readFileSync(path.join(dir, 'r.json'), 'utf8')}`;
    expect(everything).not.toContain(token);
    expect(everything).not.toMatch(/[\x1b\x07\x9b]/);
    expect(result.stdout).toContain('my token is [redacted]');
    const [api] = reportOf(dir).services;
    expect(api.detail).toContain('HTTP 500 you sent Bearer [redacted]');
  }, 120_000);
});

describe('sizes at the edges', () => {
  it('cuts a 300 MB line at a bounded length, goes on, and stays within bounded memory', async () => {
    const { dir } = hostileConfig({ big: { env: { HOSTILE_BIG_LINE_MB: '300' } } });
    const cli = up(dir);
    await cli.waitFor('services ready', 60_000);
    const before = rss(cli.child.pid!);
    const { peak } = await peakRss(cli.child.pid!, cli.waitFor('after the big line', 60_000));
    expect(cli.output()).toMatch(/big \| x+ … \[line cut at 65536 bytes\]/);
    expect(peak - before).toBeLessThan(150 * MB);
    cli.child.kill('SIGINT');
    expect((await cli.exited).status).toBe(0);
  }, 150_000);

  it('a reader that stops reading stops the reading of the services, not the engine memory', async () => {
    const { dir } = hostileConfig({ chatty: { env: { HOSTILE_CHATTY: '1' } } });
    const cli = startCli(['up'], { cwd: dir, env: { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') } });
    owned.onCleanup(cli.kill);
    await cli.waitFor('chatty: started pid', 60_000);
    // From now on nobody reads up's stdout (as with `tierdown up | sleep 25`).
    cli.child.stdout!.pause();
    cli.child.stdout!.removeAllListeners('data');
    const pid = cli.child.pid!;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = rss(pid);
    const { peak } = await peakRss(pid, new Promise((resolve) => setTimeout(resolve, 6000)));
    // Measured: 0 MB with back-pressure; about +70 MB in these 6 s without it, on a loaded machine.
    expect(peak - before).toBeLessThan(40 * MB);
    cli.child.stdout!.resume();
    cli.child.kill('SIGINT');
    await cli.exited;
  }, 120_000);

  it('--report into a missing folder exits 2 before anything starts, leaving no .tmp', async () => {
    const { dir } = hostileConfig({ solo: {} });
    const result = await runCli(['up', '--report', 'missing/r.json'], { cwd: dir, env: { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`--report missing/r.json: the folder ${path.join(dir, 'missing')} does not exist`);
    expect(result.stdout).not.toContain('started pid');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('HTTPS readiness', () => {
  it('says what is wrong with the certificate instead of waiting it out', async () => {
    const tls = path.join(owned.ledger.dir, 'tls');
    mkdirSync(tls);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(tls, 'key.pem'), '-out', path.join(tls, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore', env: { ...process.env, OPENSSL_CONF: '/dev/null' }, cwd: owned.ledger.dir });
    const port = await quietPort();
    const { dir } = hostileConfig({ secure: { port, env: { HOSTILE_TLS_DIR: tls }, ready: { http: `https://127.0.0.1:${port}/health`, timeout: '60s' } } });
    const result = await runCli(['up'], { cwd: dir, env: { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') }, timeoutMs: 40_000 });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/TLS certificate rejected: self[- ]signed certificate/);
    expect(existsSync(path.join(tls, 'cert.pem'))).toBe(true);
  }, 120_000);
});



