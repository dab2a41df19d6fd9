// Stops that must not do the opposite of what was asked (`kill: 0` is not
// "failed", a very long timeout is not "at once"), and spawns that fail must
// say why at once instead of leaving the start waiting.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { readProc } from '../../src/actors/process/proc-table.js';
import { spawnService, SpawnError } from '../../src/actors/process/spawn.js';
import { createOrchestrator, StartError } from '../../src/index.js';
import { configDir, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { TEST_TIMING } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const owned = ownProcesses();

/** A service deaf to SIGTERM (`sleep` with TERM ignored across exec), tagged with the test's ledger. */
function deafService(ledgerFile: string) {
  return {
    command: ['sh', '-c', 'echo $$ >> "$FIX_PID_FILE"; trap "" TERM; exec sleep 1000'],
    env: { FIX_PID_FILE: ledgerFile },
    tier: 'simple',
  };
}

describe('timeouts at the edges', () => {
  it('kill: 0 reports a service that SIGKILL ended as stopped, not "still alive after SIGKILL"', async () => {
    const made = configDir(`version: 1
services:
  deaf:
    command: [sh, -c, 'echo $$$$ >> "$$FIX_PID_FILE"; trap "" TERM; echo up; exec sleep 1000']
    env: { FIX_PID_FILE: ${JSON.stringify(owned.ledger.pidFile)} }
    tier: simple
    timeouts: { sigterm: 0s, kill: 0s }
`);
    owned.onCleanup(made.cleanup);
    const report = path.join(made.dir, `report-${randomInt(1e6)}.json`);
    const up = startCli(['up', '--report', report], { cwd: made.dir });
    owned.onCleanup(up.kill);
    await up.waitFor('deaf | up', 60_000);
    up.child.kill('SIGINT');
    const result = await up.exited;
    const [service] = JSON.parse(readFileSync(report, 'utf8')).services;
    expect(service.detail ?? '').not.toMatch(/still alive/);
    expect(service).toMatchObject({ outcome: 'stopped', method: 'kill', signal: 'SIGKILL' });
    expect(result.status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('refuses a timeout longer than a timer can wait, through the API too, naming its path', () => {
    expect(() =>
      createOrchestrator({ version: 1, services: { deaf: { ...deafService(owned.ledger.pidFile), timeouts: { sigterm: 2 ** 32 } } } }),
    ).toThrow(/services\.deaf\.timeouts\.sigterm: too long/);
  });

  it('a timeout as long as the config allows (24h) waits, instead of firing after 1 ms', async () => {
    const stack = createOrchestrator(
      { version: 1, services: { deaf: { ...deafService(owned.ledger.pidFile), timeouts: { sigterm: 24 * 3600_000, kill: 50 } } } },
      { timing: TEST_TIMING },
    );
    await stack.start();
    await waitUntil(() => owned.ledger.survivors().length === 1);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const stopping = stack.shutdown();
    try {
      await waitUntil(() => stack.status()[0]?.stopState === 'sigterm');
      // Long enough for an overflowed timer (1 ms) to have sent it to forceKill many times over.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stack.status()[0]?.stopState).toBe('sigterm');
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
      stack.force();
      await stopping;
    }
  });
});

describe('spawns that cannot work fail at once, saying why', () => {
  const base = { name: 'svc', env: {}, token: 't', marker: 'test/svc' };
  const cases: [string, string[], string, RegExp][] = [
    ['cwd naming a file', ['node', '-e', '1'], '/etc/hostname', /cwd: "\/etc\/hostname" is not a folder/],
    ['a missing cwd', ['node', '-e', '1'], '/no/such/folder', /cwd: "\/no\/such\/folder" does not exist/],
    ['a NUL byte in argv', ['node', '-e', '1\0'], '/tmp', /command: contains a NUL byte/],
    ['an empty program', [''], '/tmp', /command: the program \(first item\) is empty/],
  ];

  it.each(cases)('spawnService: %s', async (_what, command, cwd, message) => {
    const started = performance.now();
    const error = await spawnService({ ...base, command, cwd }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(SpawnError);
    expect((error as SpawnError).code).toBe('TIERDOWN_SPAWN_FAILED');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/spawn node ENOENT/);
    // Bounded generously: before, the promise never settled for a file as cwd or an empty program.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('through the API: start() rejects with the reason instead of hanging', async () => {
    const stack = createOrchestrator(
      { version: 1, services: { svc: { command: ['node', '-e', 'setInterval(() => {}, 1000)'], cwd: '/etc/hostname', tier: 'simple' } } },
      { timing: TEST_TIMING },
    );
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      stack.start().then(
        () => 'started',
        (error: unknown) => error,
      ),
      new Promise((resolve) => (timer = setTimeout(resolve, 10_000, 'hung'))),
    ]);
    clearTimeout(timer);
    expect(outcome).toBeInstanceOf(StartError);
    expect((outcome as Error).message).toMatch(/cwd: "\/etc\/hostname" is not a folder/);
    await stack.shutdown();
  });
});

describe('cgroup membership', () => {
  it('a service started in a cgroup is in it before its program runs (its first fork cannot escape)', async () => {
    const { cgroupSupport, cgroupMembers, killCgroup, ownCgroupPath, serviceCgroup, removeRunCgroups } = await import('../../src/actors/process/cgroup.js');
    const support = cgroupSupport();
    if (!support.available) return expect(support.reason).toBeTruthy();
    const runDir = path.join(support.base, `tierdown-test-${process.pid}-${randomInt(1e6)}`);
    const engineCgroupBefore = ownCgroupPath(readFileSync('/proc/self/cgroup', 'utf8'));
    const cgroup = serviceCgroup(runDir, 'svc');
    const lines: string[] = [];
    const handle = await spawnService({
      name: 'svc',
      // Reads its own cgroup as the very first thing the program does.
      command: ['sh', '-c', 'echo $$ >> "$FIX_PID_FILE"; cat /proc/self/cgroup; exec sleep 1000'],
      cwd: '/tmp',
      env: { FIX_PID_FILE: owned.ledger.pidFile },
      token: 't',
      marker: 'test/svc',
      cgroup,
      onLine: (_stream, line) => lines.push(line),
    });
    await waitUntil(() => lines.some((line) => line.startsWith('0::')));
    expect(lines.find((line) => line.startsWith('0::'))).toMatch(/\/svc$/);
    // The engine passed through the service's cgroup to fork it, and is back in its own.
    expect(ownCgroupPath(readFileSync('/proc/self/cgroup', 'utf8'))).toBe(engineCgroupBefore);
    expect(readProc(handle.pid)).toBeDefined();
    try {
      expect(readFileSync(path.join(cgroup!.dir, 'cgroup.procs'), 'utf8')).toContain(String(handle.pid));
    } finally {
      killCgroup(cgroup!.dir);
      await waitUntil(() => cgroupMembers(cgroup!.dir).length === 0 && handle.exit !== null);
      removeRunCgroups(runDir);
    }
  });
});
