// `tierdown up` as a user runs it: a real CLI process supervising real fixture
// services, stopped with real signals (SPEC §6: first SIGINT tiered, second
// forces, third exits at once).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configDir, startCli } from '../helpers/cli.js';
import { freePort } from '../helpers/processes.js';
import { quietPort } from '../helpers/ports.js';
import { FIXTURE } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

async function stackConfig(services: Record<string, { env?: Record<string, string>; tier?: string; depends_on?: string[]; timeouts?: string }>) {
  // http and exit far beyond a loaded machine's round trip and exit: no test here waits for them to run out.
  let yaml = `version: 1\ndefaults:\n  timeouts: { http: 5s, exit: 5s, sigterm: 300ms, kill: 300ms }\nservices:\n`;
  for (const [name, spec] of Object.entries(services)) {
    const port = await freePort();
    const env = { FIX_PID_FILE: owned.ledger.pidFile, PORT: String(port), ...spec.env };
    yaml += `  ${name}:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FIXTURE)}]\n`;
    yaml += `    env: ${JSON.stringify(env)}\n    port: ${port}\n    ready: { http: /health }\n    tier: ${spec.tier ?? 'simple'}\n`;
    if (spec.depends_on) yaml += `    depends_on: [${spec.depends_on.join(', ')}]\n`;
    if (spec.timeouts) yaml += `    timeouts: ${spec.timeouts}\n`;
  }
  const made = configDir(yaml);
  owned.onCleanup(made.cleanup);
  return made;
}

function up(args: string[], cwd: string) {
  const cli = startCli(['up', ...args], { cwd });
  owned.onCleanup(cli.kill);
  return cli;
}

describe('tierdown up', () => {
  it('stops the stack tiered on SIGINT and writes the report', async () => {
    const { dir } = await stackConfig({
      db: {},
      api: { tier: 'critical', env: { FIX_HTTP: 'good' }, depends_on: ['db'] },
      web: { depends_on: ['api'] },
    });
    const cli = up(['--report', 'report.json'], dir);
    await cli.waitFor('services ready');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.outcome).toBe('stopped');
    expect(report.waves).toEqual([['web'], ['api'], ['db']]);
    expect(report.services.map((s: { name: string; method: string }) => [s.name, s.method])).toEqual([
      ['web', 'signal'],
      ['api', 'http'],
      ['db', 'signal'],
    ]);
    expect(result.stdout).toMatch(/api\s+critical\s+1\s+stopped\s+http/);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('stops tiered on SIGTERM too', async () => {
    const { dir } = await stackConfig({ solo: {} });
    const cli = up([], dir);
    await cli.waitFor('services ready');
    cli.child.kill('SIGTERM');
    expect((await cli.exited).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('forces on the second SIGINT', async () => {
    const { dir } = await stackConfig({ stubborn: { env: { FIX_SIGTERM: 'ignore' }, timeouts: '{ sigterm: 60s }' } });
    const cli = up(['--report', 'report.json'], dir);
    await cli.waitFor('services ready');
    cli.child.kill('SIGINT');
    await cli.waitFor('idle → sigterm');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.status).toBe(0);
    const [service] = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).services;
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.transitions[1].reason).toBe('FORCE');
    // Asked, then SIGKILLed: the summary names it, never a plain "stopped".
    expect(result.stdout).toMatch(/stubborn\s+simple\s+0\s+killed \(SIGKILL\)\s+kill/);
    expect(result.stdout).toMatch(/^stopped in .*, 1 killed \(SIGKILL\)$/m);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('prints NDJSON events with --json, never the shutdown token', async () => {
    const { dir } = await stackConfig({ api: { tier: 'critical', env: { FIX_HTTP: 'good' } } });
    const cli = up(['--json'], dir);
    await cli.waitFor('"type":"ready"');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.status).toBe(0);
    const events = result.stdout.trim().split('\n').map((row) => JSON.parse(row));
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['spawned', 'ready', 'shutdownStarted', 'transition', 'report']));
    expect(events.filter((event) => event.type === 'transition').map((event) => event.to)).toEqual(['httpShutdown', 'awaitingExit', 'stopped']);
    expect(result.stdout).not.toMatch(/TIERDOWN_SHUTDOWN_TOKEN|Bearer/);
  });

  it('exits 1 and stops what started when a service cannot start', async () => {
    const { dir, file } = await stackConfig({ db: {} });
    // A program that exists but dies before it is ready (a missing one is a config error, exit 2).
    const broken = readFileSync(file, 'utf8') + `  broken:\n    command: [sh, -c, "echo no database >&2; exit 7"]\n    ready: { tcp: true }\n    port: ${await quietPort()}\n    depends_on: [db]\n`;
    const made = configDir(broken);
    owned.onCleanup(made.cleanup);
    const result = await up([], made.dir).exited;
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('broken');
    expect(result.stdout).toMatch(/exited \(code 7\) before it was ready/);
    expect(owned.ledger.survivors()).toEqual([]);
    void dir;
  });
});

describe('tierdown up with on_failure: rollback', () => {
  it('keeps supervising the restored stack after a rollback its own Ctrl-C asked for, and says who refused', async () => {
    // api refuses its first stop (503) and never answers a later one, so the second
    // stop is certainly still asking api when the test's second Ctrl-C comes.
    const refused = path.join(owned.ledger.dir, 'refused');
    const { dir } = await stackConfig({
      api: { tier: 'critical', env: { FIX_HTTP: 'hang', FIX_REFUSE_ONCE: refused, FIX_TICK_MS: '20' }, timeouts: '{ http: 60s }' },
      web: { depends_on: ['api'], env: { FIX_TICK_MS: '20' } },
    });
    const cli = up(['--on-failure', 'rollback', '--report', 'report.json'], dir);
    await cli.waitFor('services ready');
    const before = owned.ledger.survivors();
    cli.child.kill('SIGINT');
    await cli.waitFor('rolled back');
    expect(cli.output()).toMatch(/api \(shutdown request: .*503.*\) refused to stop/);
    // Still supervised: up runs on and streams both services, the refusing one untouched, the stopped one back.
    await cli.waitForTimes('api | tick', cli.count('api | tick') + 1);
    await cli.waitForTimes('web | tick', cli.count('web | tick') + 1);
    expect(cli.child.exitCode).toBeNull();
    const after = owned.ledger.survivors();
    expect(after).toContain(before[0]);
    expect(after).toHaveLength(2);
    // A later Ctrl-C tries again: a tiered stop (the ladder starts over), which asks api again.
    cli.child.kill('SIGINT');
    await cli.waitForTimes('api: idle → httpShutdown', 2);
    // Sent only once the first was handled: two signals sent at once may arrive as one.
    cli.child.kill('SIGINT');
    await cli.exited;
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.earlier.map((stop: { outcome: string }) => stop.outcome)).toContain('rolledBack');
    const api = report.services.find((service: { name: string }) => service.name === 'api');
    expect(api.path).toEqual(['idle', 'httpShutdown', 'forceKill', 'stopped']);
    expect(api.transitions[1].reason).toBe('FORCE');
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('forces on a second Ctrl-C that comes while the rollback starts the stopped services again', async () => {
    const { dir } = await stackConfig({
      api: { tier: 'critical', env: { FIX_HTTP: '500' } },
      // Started again by the rollback, web never becomes ready: the stop stays in its restore until forced.
      web: { depends_on: ['api'], env: { FIX_READY_ONCE: path.join(owned.ledger.dir, 'web-started') } },
    });
    const cli = up(['--on-failure', 'rollback', '--report', 'report.json'], dir);
    await cli.waitFor('services ready');
    cli.child.kill('SIGINT');
    await cli.waitForTimes('web: started pid', 2);
    cli.child.kill('SIGINT');
    await cli.waitFor('shutdown (forced)');
    await cli.exited;
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.earlier.map((stop: { outcome: string }) => stop.outcome)).toEqual(['rolledBack']);
    expect(report.services.map((service: { name: string; path: string[] }) => [service.name, service.path])).toEqual([
      ['web', ['idle', 'forceKill', 'stopped']],
      ['api', ['idle', 'forceKill', 'stopped']],
    ]);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
