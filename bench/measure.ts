/**
 * One timed stop: start a stack, wait until every service has settled, note
 * every process that belongs to it, issue the stop, and time until the kernel
 * shows all of them gone. The tool's own "done" is recorded beside it.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanupAll, own } from './ledger.js';
import { serviceProcesses, waitFor, waitGone, type Proc } from './proc.js';
import type { Stack } from './runners/types.js';

export interface Sample {
  /** Stop → last process gone, by /proc; absent when the stop did not finish in time. */
  goneMs?: number;
  /** Stop → the tool said it was done. */
  toolMs?: number;
  ok: boolean;
  detail?: string;
  /** Processes watched (services and their children). */
  processes: number;
  /** Peak resident memory of the engine process (VmHWM), when it has one. */
  engineRssKb?: number;
  extra?: Record<string, unknown>;
}

export interface MeasureOptions {
  /** True once the services are fully up (every child forked and exec'd), given their processes. */
  settled: (procs: Proc[], services: number) => boolean;
  stopTimeoutMs: number;
}

function peakRssKb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function measureStop(start: () => Promise<Stack>, options: MeasureOptions): Promise<Sample> {
  let stack: Stack | undefined;
  try {
    const started = (stack = await start());
    const services = started.mainPids.length;
    await waitFor(`${services} services to settle`, () => options.settled(serviceProcesses(started.mainPids), services), 10_000, 10);
    const procs = serviceProcesses(started.mainPids);
    own(...procs);

    const stopAt = performance.now();
    const stopping = started.stop().catch((error: Error) => ({ doneAt: performance.now(), ok: false, detail: error.message }));
    const goneAt = await waitGone(procs, options.stopTimeoutMs);
    const giveUp = new AbortController();
    const timeout = sleep(options.stopTimeoutMs, undefined, { signal: giveUp.signal }).catch(() => undefined);
    const done = await Promise.race([stopping, timeout]);
    giveUp.abort();

    const left = serviceProcesses(started.mainPids);
    const problems = [
      goneAt === undefined ? `still running after ${options.stopTimeoutMs} ms` : undefined,
      done === undefined ? 'the tool never said it was done' : done.ok ? undefined : `the tool reported a failure: ${done.detail ?? ''}`,
      left.length ? `${left.length} processes left in the services' groups` : undefined,
    ].filter((problem): problem is string => problem !== undefined);
    return {
      goneMs: goneAt === undefined ? undefined : goneAt - stopAt,
      toolMs: done ? done.doneAt - stopAt : undefined,
      ok: problems.length === 0,
      detail: problems.length ? problems.join('; ') : undefined,
      processes: procs.length,
      engineRssKb: started.enginePid ? peakRssKb(started.enginePid) : undefined,
      extra: done && 'extra' in done ? done.extra : undefined,
    };
  } finally {
    await stack?.close();
    await cleanupAll();
  }
}
