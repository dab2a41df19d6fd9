// Processes that try to escape the stop, through the real binary: a daemon that
// double-forks, leaves its session and clears its environment (so neither its
// group nor tierdown's marker finds it). With cgroups (where this host allows
// them) it must die with the stop, and even when the engine is SIGKILLed; without
// them the report must say what `verified` rested on, and `up` must not wait
// on the pipes the daemon inherited.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { cgroupSupport } from '../../src/actors/process/cgroup.js';
import { readProc } from '../../src/actors/process/proc-table.js';
import { configDir, startCli, runCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { waitUntil } from '../helpers/wait.js';

const owned = ownProcesses();
const support = cgroupSupport();

/** Pids whose argv is exactly `sleep <token>` (a token no other process has: ours). */
function sleepersWith(token: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const state = readProc(Number(name))?.state;
      if (argv[1] === token && /sleep$/.test(argv[0]) && state !== undefined && state !== 'Z') found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** A config whose service starts an escaping daemon (`sleep <daemon>`) and then runs `sleep <main>`. */
function escapingStack(how: 'setsid-f' | 'subshell') {
  const daemon = `1003.${randomInt(1e6)}`;
  const main = `1000.${randomInt(1e6)}`;
  const escape =
    how === 'setsid-f'
      ? `setsid -f env -i /bin/sleep ${daemon}`
      : // A double fork: the subshell's child leaves the session, then the subshell exits.
        `( setsid env -i /bin/sleep ${daemon} & ) ; sleep 0.05`;
  const made = configDir(`version: 1
services:
  forker:
    command: [sh, -c, ${JSON.stringify(`${escape}; echo forked; exec sleep ${main}`)}]
    tier: simple
    timeouts: { sigterm: 2s, kill: 2s }
`);
  // Whatever the outcome, nothing this test started outlives it.
  owned.onCleanup(() => {
    for (const pid of [...sleepersWith(daemon), ...sleepersWith(main)]) process.kill(pid, 'SIGKILL');
    made.cleanup();
  });
  return { ...made, daemon, main, report: path.join(made.dir, 'report.json') };
}

/** The cgroups left of runs by engine `pid` (a run's id starts with its engine's pid; other tests run beside this one). */
function runCgroupsOf(pid: number | undefined): string[] {
  if (!support.available || pid === undefined) return [];
  return readdirSync(support.base).filter((name) => name.startsWith(`tierdown-${pid}-`));
}

async function upUntilForked(stack: ReturnType<typeof escapingStack>, env: NodeJS.ProcessEnv = {}) {
  const up = startCli(['up', '-c', stack.file, '--report', stack.report], { env });
  owned.onCleanup(up.kill);
  await up.waitFor('forker | forked', 60_000);
  await waitUntil(() => sleepersWith(stack.daemon).length === 1);
  return up;
}

const withCgroups = support.available ? describe : describe.skip;

withCgroups('with cgroups (this host allows them)', () => {
  it.each(['setsid-f', 'subshell'] as const)('a daemon that escaped by %s dies with the stop, and the report says verified by cgroup', async (how) => {
    const stack = escapingStack(how);
    const up = await upUntilForked(stack);
    expect(runCgroupsOf(up.child.pid)).toHaveLength(1);
    up.child.kill('SIGINT');
    const result = await up.exited;
    expect(result.status).toBe(0);
    expect(sleepersWith(stack.daemon)).toEqual([]);
    const [service] = JSON.parse(readFileSync(stack.report, 'utf8')).services;
    expect(service).toMatchObject({ outcome: 'stopped', verified: true, verification: 'cgroup' });
    // The run's cgroups are gone with it.
    expect(runCgroupsOf(up.child.pid)).toEqual([]);
  });

  it('a daemon that escaped dies even when the engine is SIGKILLed (the watchdog kills the cgroup)', async () => {
    const stack = escapingStack('setsid-f');
    const up = await upUntilForked(stack);
    expect(runCgroupsOf(up.child.pid)).toHaveLength(1);
    up.child.kill('SIGKILL');
    await up.exited;
    await waitUntil(() => sleepersWith(stack.daemon).length === 0 && sleepersWith(stack.main).length === 0, 10_000);
    await waitUntil(() => runCgroupsOf(up.child.pid).length === 0, 10_000);
  });

  it('a new run removes the empty cgroups that runs of dead engines left behind', async () => {
    const dead = spawnSync('true').pid!;
    const stale = path.join(support.available ? support.base : '', `tierdown-${dead}-0badc0de`);
    mkdirSync(path.join(stale, 'api'), { recursive: true });
    const stack = escapingStack('setsid-f');
    const up = await upUntilForked(stack);
    expect(existsSync(stale)).toBe(false);
    up.child.kill('SIGINT');
    await up.exited;
  });

  it('validate says services run in cgroups', async () => {
    const stack = escapingStack('setsid-f');
    const result = await runCli(['validate', '-c', stack.file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('process tracking: cgroup v2');
  });
});

describe('without cgroups (TIERDOWN_CGROUPS=off, or a host that has none)', () => {
  const off = { TIERDOWN_CGROUPS: 'off' };

  it('up ends once the stop is over although the escaped daemon still holds its stdout, and the report says what verified rested on', async () => {
    const stack = escapingStack('setsid-f');
    const up = await upUntilForked(stack, off);
    up.child.kill('SIGINT');
    // Bounded generously: before, `up` waited for as long as the daemon lived.
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([up.exited, new Promise<'hung'>((resolve) => (timer = setTimeout(resolve, 15_000, 'hung')))]);
    clearTimeout(timer);
    expect(result).not.toBe('hung');
    const [service] = JSON.parse(readFileSync(stack.report, 'utf8')).services;
    expect(service.verification).toBe('process-group');
    expect(service.verification).not.toBe('cgroup');
  });

  it('validate says the fallback cannot see such a daemon', async () => {
    const stack = escapingStack('setsid-f');
    const result = await runCli(['validate', '-c', stack.file], { env: off });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/process tracking: process groups only — disabled by TIERDOWN_CGROUPS=off/);
    expect(existsSync(stack.file)).toBe(true);
  });
});
