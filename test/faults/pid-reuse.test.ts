// Fault: pid reuse. A pid tierdown once knew can belong to a stranger by the
// time it signals: it must never signal it. The kernel is made to reuse the
// exact pid (root writes /proc/sys/kernel/ns_last_pid, as CRIU does), so the
// stranger is a real process with our old pid — and, worst case, leads a
// process group with our old group id.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readProc } from '../../src/actors/process/proc-table.js';
import { killProcessTree, noteDescendants, sendStopSignal, serviceAlive } from '../../src/actors/process/signal.js';
import { spawnService, type ServiceProcess } from '../../src/actors/process/spawn.js';
import { processLedger, type processLedger as LedgerFactory } from '../helpers/processes.js';
import { quietPort } from '../helpers/ports.js';
import { FIXTURE } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

let ledger: ReturnType<typeof LedgerFactory>;
beforeEach(() => {
  ledger = processLedger();
});
afterEach(() => ledger.killAll());

const fixtureEnv = (extra: Record<string, string> = {}) => ({ FIX_PID_FILE: ledger.pidFile, FIX_HTTP: 'none', ...extra });

async function startService(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const handle = await spawnService({
    name: 'svc',
    command: [process.execPath, FIXTURE],
    cwd: process.cwd(),
    env: fixtureEnv(env),
    token: 'token',
    marker: `pid-reuse-${process.pid}/svc`,
  });
  // The fixture appends its pid once it runs: from then on its handlers are in place.
  await waitUntil(() => ledger.pids().includes(handle.pid), 5000);
  return handle;
}

/** True when the fixture on `port` answers /health: it ran user code after everything before this call. */
async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
  } catch {
    return false;
  }
}

/**
 * Starts a stranger (own session, so it leads a group whose id is its pid)
 * with exactly `pid`, retrying while other processes or threads take it first.
 * On a busy machine another process may take the pid in the moment between
 * the write and the fork, and keep it: then the next try waits until it is
 * free again. It serves /health on `port` once it is up.
 */
async function strangerWithPid(pid: number, port: number): Promise<number | undefined> {
  const env = { ...process.env, ...fixtureEnv({ FIX_HTTP: '404', PORT: String(port) }) };
  const free = () => readProc(pid) === undefined;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (!free()) {
      try {
        await waitUntil(free, 10_000);
      } catch {
        return undefined;
      }
    }
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
    const child = spawn(process.execPath, [FIXTURE], { detached: true, stdio: 'ignore', env });
    child.unref();
    if (child.pid === pid) {
      await waitUntil(() => answers(port), 5000);
      return pid;
    }
    if (child.pid) process.kill(child.pid, 'SIGKILL');
  }
  return undefined;
}

const running = (pid: number, startTime: string) => {
  const entry = readProc(pid);
  return entry !== undefined && entry.state !== 'Z' && entry.startTime === startTime;
};

describe('pid reuse', () => {
  it('never signals a stranger that took the pid and group id of a service whose processes are all gone', async () => {
    const service = await startService();
    process.kill(service.pid, 'SIGKILL');
    await service.mainExited;
    await waitUntil(() => service.exit !== null, 1000);

    const port = await quietPort();
    const stranger = await strangerWithPid(service.pid, port);
    if (stranger === undefined) throw new Error(`could not make the kernel reuse pid ${service.pid}`);
    const identity = readProc(stranger)!;
    expect(identity.pgid).toBe(service.pid);

    expect(serviceAlive(service)).toBe(false);
    expect(sendStopSignal(service, 'SIGTERM').errors).toEqual([]);
    expect(killProcessTree(service).errors).toEqual([]);
    // A signal is generated before kill() returns, and acted on before its target runs
    // user code again: a stranger that answers now was signalled by none of the above.
    expect(await answers(port)).toBe(true);
    expect(running(stranger, identity.startTime)).toBe(true);
  });

  it('never signals a stranger that took the pid of a descendant seen outside the group', async () => {
    const service = await startService({ FIX_ESCAPE: '1' });
    await waitUntil(() => ledger.pids().length >= 2, 5000);
    noteDescendants(service, 0);
    const [escaped] = [...service.seen.keys()];
    expect(escaped).toBeDefined();
    process.kill(escaped, 'SIGKILL');
    // Its parent (the service's main) reaps it, which frees the pid.
    await waitUntil(() => readProc(escaped) === undefined, 2000);

    const port = await quietPort();
    const stranger = await strangerWithPid(escaped, port);
    if (stranger === undefined) throw new Error(`could not make the kernel reuse pid ${escaped}`);
    const identity = readProc(stranger)!;

    expect(killProcessTree(service).extra).toEqual([]);
    await service.mainExited;
    expect(await answers(port)).toBe(true);
    expect(running(stranger, identity.startTime)).toBe(true);
    expect(serviceAlive(service)).toBe(false);
  });
});
