/**
 * `critical` tier latency: one cooperative Node HTTP service stopped through
 * the API; POST /shutdown → exit, as the engine's report tells it and as /proc
 * shows it (stop → process gone).
 */
import { fileURLToPath } from 'node:url';
import { measureStop, type Sample } from '../measure.js';
import { freePortBlock } from '../ports.js';
import { startApiStack } from '../runners/api.js';
import { stackInChild } from '../runners/child.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/http-service.js', import.meta.url));

export interface CriticalSample extends Sample {
  /** From the report: entering httpShutdown (the POST) → stopped. */
  postToExitMs?: number;
  method?: string;
}

/** Whether the service-side helper (dist/src/service) loads; the fixture falls back to a bare server otherwise. */
export async function helperAvailable(): Promise<boolean> {
  try {
    const helper = await import('../../src/service/index.js');
    return typeof helper.createShutdownHandler === 'function';
  } catch {
    return false;
  }
}

export async function measureCritical(workDir: string, useHelper: boolean): Promise<CriticalSample> {
  const [port] = await freePortBlock(1);
  const config = {
    version: 1,
    services: {
      api: {
        command: [process.execPath, FIXTURE],
        env: { PORT: String(port), BENCH_HELPER: useHelper ? '1' : '0' },
        port,
        tier: 'critical',
        // As a real critical service is checked: this also means the service has answered HTTP before its stop.
        ready: { http: '/health' },
      },
    },
  };
  const sample = await measureStop(() => startApiStack(config, workDir), { settled: (procs, services) => procs.length >= services, stopTimeoutMs: 15_000 });
  const service = (sample.extra?.services as Array<{ method: string; transitions: Array<{ to: string; atMs: number }> }> | undefined)?.[0];
  const posted = service?.transitions.find((transition) => transition.to === 'httpShutdown');
  const stopped = service?.transitions.find((transition) => transition.to === 'stopped');
  return {
    ...sample,
    postToExitMs: posted && stopped ? stopped.atMs - posted.atMs : undefined,
    method: service?.method,
  };
}

/**
 * The raw HTTP floor: the bare service stopped by a Node process that only
 * POSTs /shutdown and waits for the exit (runners/raw-http-child.ts). Timed
 * the same way as the tierdown critical stop: stop command → process gone.
 */
export async function measureRawHttp(): Promise<CriticalSample> {
  const [port] = await freePortBlock(1);
  return measureStop(
    () =>
      stackInChild(new URL('../runners/raw-http-child.js', import.meta.url), { type: 'start', argv: [process.execPath, FIXTURE], port }, 15_000, (child, pids) => ({
        mainPids: pids,
        stop: async () => {
          child.send({ type: 'stop' });
          const done = (await child.next('done', 15_000)) as unknown as { status: number | null };
          return { doneAt: performance.now(), ok: done.status === 202, detail: done.status === 202 ? undefined : `POST /shutdown answered ${done.status}` };
        },
        close: () => child.close(),
      })),
    { settled: (procs, services) => procs.length >= services, stopTimeoutMs: 15_000 },
  );
}
