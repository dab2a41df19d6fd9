// `tierdown up` as a user runs it: a real CLI process supervising real fixture
// services, stopped with real signals (SPEC §6: first SIGINT tiered, second
// forces, third exits at once).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { configDir, startCli } from '../helpers/cli.js';
import { freePort } from '../helpers/processes.js';
import { quietPort } from '../helpers/ports.js';
import { FIXTURE } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

async function stackConfig(services: Record<string, { env?: Record<string, string>; tier?: string; depends_on?: string[]; timeouts?: string }>) {
  let yaml = `version: 1\ndefaults:\n  timeouts: { http: 200ms, exit: 300ms, sigterm: 300ms, kill: 300ms }\nservices:\n`;
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
    const { dir } = await stackConfig({
      api: { tier: 'critical', env: { FIX_HTTP: '500', FIX_TICK_MS: '20' } },
      web: { depends_on: ['api'], env: { FIX_TICK_MS: '20' } },
    });
    const cli = up(['--on-failure', 'rollback', '--report', 'report.json'], dir);
    await cli.waitFor('services ready');
    const before = owned.ledger.survivors();
    cli.child.kill('SIGINT');
    await cli.waitFor('rolled back');
    expect(cli.output()).toMatch(/api \(shutdown request: .*500.*\) refused to stop/);
    // Still supervised: up runs on, the refusing service untouched, the stopped one back.
    await sleep(300);
    expect(cli.child.exitCode).toBeNull();
    const after = owned.ledger.survivors();
    expect(after).toContain(before[0]);
    expect(after).toHaveLength(2);
    // A later stop tries again (api keeps refusing): a second Ctrl-C right after forces it.
    cli.child.kill('SIGINT');
    cli.child.kill('SIGINT');
    await cli.exited;
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.earlier.map((stop: { outcome: string }) => stop.outcome)).toContain('rolledBack');
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
