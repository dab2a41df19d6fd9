// The process faults of a stop, with real fixture processes and real signals:
// a service deaf to SIGTERM, grandchildren in its group, a grandchild that
// left for its own session. Each must end with nothing of the service running.
// (EPERM, pid reuse and a killed engine have files of their own.)
import { describe, expect, it } from '@jest/globals';
import { readProc, type ProcEntry } from '../../src/actors/process/proc-table.js';
import type { ServiceReport } from '../../src/index.js';
import { SIGTERM_RUNS_OUT, startStack, type FixtureService } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

/** Starts one service, waits until it and all its grandchildren run, stops it. */
async function stopOne(spec: FixtureService, processes: number): Promise<{ service: ServiceReport; pids: number[]; before: Map<number, ProcEntry | undefined> }> {
  const stack = await startStack(owned.ledger, { svc: spec });
  await waitUntil(() => owned.ledger.survivors().length === processes);
  const pids = owned.ledger.survivors();
  // Read before the stop: once killed, a process may be reaped at once (all of a cgroup dies together).
  const before = new Map(pids.map((pid) => [pid, readProc(pid)]));
  const [service] = (await stack.shutdown()).services;
  return { service, pids, before };
}

describe('process faults', () => {
  it('ignores SIGTERM: SIGKILL after the sigterm budget', async () => {
    const { service } = await stopOne({ env: { FIX_SIGTERM: 'ignore' }, timeouts: SIGTERM_RUNS_OUT }, 1);
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.signal).toBe('SIGKILL');
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('grandchildren in the group, deaf to SIGTERM too: the main exiting is not enough, all of them die', async () => {
    const { service, pids, before } = await stopOne({ env: { FIX_CHILDREN: '3', FIX_CHILD_SIGTERM: 'ignore' }, timeouts: SIGTERM_RUNS_OUT }, 4);
    const [main, ...grandchildren] = pids;
    for (const pid of grandchildren) expect(before.get(pid)?.pgid).toBe(main);
    // The main obeys SIGTERM; its group does not: the stop escalates instead of reporting stopped.
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.verified).toBe(true);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('a grandchild escaped to its own session still dies', async () => {
    const { service, pids, before } = await stopOne({ env: { FIX_ESCAPE: '1', FIX_CHILD_SIGTERM: 'ignore' }, timeouts: SIGTERM_RUNS_OUT }, 2);
    const [main, escaped] = pids;
    expect(before.get(escaped)?.sid).toBe(escaped);
    expect(before.get(escaped)?.pgid).not.toBe(main);
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.verified).toBe(true);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
