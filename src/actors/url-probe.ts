/**
 * Small HTTP/TCP probes: is a URL answering, is a port open. Used by readiness,
 * by a remote service's `awaitingExit`, by `auto` tier detection and by verification.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { timerDelay } from '../../machines/delays.js';

/** What a GET got: the status, or why there was none. */
export interface ProbeResult {
  status: number | null;
  /** The error's code and message when nothing answered (e.g. `CERT_HAS_EXPIRED`). */
  error?: { code: string; message: string };
}

/** One GET, bounded by `timeoutMs` (and `signal`); never throws. */
export async function probe(url: string, timeoutMs: number, signal?: AbortSignal, dispatcher?: Dispatcher): Promise<ProbeResult> {
  // Capped: a timeout past what a timer can wait would throw (AbortSignal) or fire at once.
  const deadline = AbortSignal.timeout(Math.round(timerDelay(timeoutMs)));
  try {
    const response = await request(url, {
      method: 'GET',
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      dispatcher,
      // A run's dispatcher keeps the connection for the next request (the POST /shutdown); the global one does not.
      reset: dispatcher === undefined,
    });
    await response.body.dump();
    return { status: response.statusCode };
  } catch (error) {
    // TLS errors may come wrapped (undici's `cause`); the inner one says what is wrong.
    const inner = ((error as { cause?: unknown }).cause ?? error) as { code?: unknown; message?: unknown };
    const outer = error as { code?: unknown; message?: unknown };
    const code = typeof inner.code === 'string' ? inner.code : typeof outer.code === 'string' ? outer.code : '';
    const message = typeof inner.message === 'string' && inner.message ? inner.message : String(outer.message ?? error);
    return { status: null, error: { code, message } };
  }
}

/** The status a GET gets, or null when nothing answers in time. */
export async function probeUrl(url: string, timeoutMs: number, signal?: AbortSignal, dispatcher?: Dispatcher): Promise<number | null> {
  return (await probe(url, timeoutMs, signal, dispatcher)).status;
}

/** True when something accepts a TCP connection on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timerDelay(timeoutMs), () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `check` every `intervalMs` until it is true, the deadline passes, or the signal aborts. */
export async function pollUntil(
  check: () => Promise<boolean>,
  options: { intervalMs: number; timeoutMs: number; signal?: AbortSignal },
): Promise<boolean> {
  const giveUpAt = performance.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= giveUpAt) return false;
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
}
