/**
 * Waits until a freshly started service is ready (SPEC §4 `ready`): its health
 * URL answers 2xx, its port accepts connections, or simply that it started.
 * A process that exits first is a failed start, not a slow one.
 */
import type { Readiness } from '../config/types.js';
import type { Dispatcher } from 'undici';
import type { ServiceProcess } from './process/spawn.js';
import { pollUntil, portOpen, probeUrl } from './url-probe.js';

export class ReadinessError extends Error {
  override name = 'ReadinessError';
  constructor(
    readonly code: 'TIERDOWN_NOT_READY' | 'TIERDOWN_EXITED_BEFORE_READY',
    message: string,
  ) {
    super(message);
  }
}

function describeReadiness(ready: Readiness): string {
  if (ready.kind === 'http') return `${ready.url} to answer 2xx`;
  if (ready.kind === 'tcp') return `port ${ready.port} to accept connections`;
  if (ready.kind === 'notify') return 'READY=1 on its NOTIFY_SOCKET';
  return 'start';
}

// `READY=1` arrives as a promise; polled like the other checks so one deadline rules them all.
function notifiedFlag(notified: Promise<void> | undefined): () => Promise<boolean> {
  let arrived = false;
  void notified?.then(() => (arrived = true));
  return async () => arrived;
}

export async function waitReady(
  ready: Readiness,
  process: ServiceProcess | undefined,
  options: { pollMs: number; signal: AbortSignal; dispatcher?: Dispatcher; notified?: Promise<void> },
): Promise<void> {
  if (ready.kind === 'started') return;
  const exited = process?.mainExited.then((exit) => {
    throw new ReadinessError(
      'TIERDOWN_EXITED_BEFORE_READY',
      `exited (${exit.signal ?? `code ${exit.exitCode}`}) before it was ready`,
    );
  });
  // The race below only listens while it runs; a later exit must not be an unhandled rejection.
  exited?.catch(() => undefined);
  const check =
    ready.kind === 'notify'
      ? notifiedFlag(options.notified)
      : ready.kind === 'http'
      ? async () => {
          const status = await probeUrl(ready.url, Math.max(ready.timeoutMs, 1), options.signal, options.dispatcher);
          return status !== null && status >= 200 && status < 300;
        }
      : () => portOpen(ready.port, Math.max(ready.timeoutMs, 1));
  const polled = pollUntil(check, { intervalMs: options.pollMs, timeoutMs: ready.timeoutMs, signal: options.signal });
  const readyInTime = await (exited ? Promise.race([polled, exited]) : polled);
  if (!readyInTime) {
    throw new ReadinessError('TIERDOWN_NOT_READY', `not ready after ${ready.timeoutMs} ms (waited for ${describeReadiness(ready)})`);
  }
}
