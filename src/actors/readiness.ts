/**
 * Waits until a freshly started service is ready (docs/config.md `ready`): its
 * health URL answers 2xx, its port accepts connections, or simply that it started.
 * A process that exits first is a failed start, not a slow one. A port held by
 * a process that is not the service's is no sign of the service at all: it
 * fails the start, naming the holder (see process/port-owner.ts). A TLS
 * certificate the probe rejects fails it too, with the certificate's problem:
 * certificates do not mend themselves while we poll.
 */
import type { Readiness } from '../config/types.js';
import { describeSquatter, localPortOf, portOwnershipOf, somethingListens } from './process/port-owner.js';
import type { Dispatcher } from 'undici';
import type { ServiceProcess } from './process/spawn.js';
import { pollUntil, portOpen, probe } from './url-probe.js';
import { TierdownError } from '../errors.js';

export class ReadinessError extends TierdownError<'TIERDOWN_NOT_READY' | 'TIERDOWN_EXITED_BEFORE_READY' | 'TIERDOWN_PORT_TAKEN' | 'TIERDOWN_TLS_REJECTED'> {
  override name = 'ReadinessError';
}

// Node's codes for a certificate the client refuses (tls / OpenSSL verify errors).
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_/;

/** What readiness waits for, in words (also the status rows' "waiting on"). */
export function describeReadiness(ready: Readiness): string {
  if (ready.kind === 'http') return `${ready.url} to answer 2xx`;
  if (ready.kind === 'tcp') return `port ${ready.port} to accept connections`;
  if (ready.kind === 'notify') return 'READY=1 on its NOTIFY_SOCKET';
  return 'start';
}

/** The local port whose listener must be the service's, if readiness reaches one. */
function checkedPort(ready: Readiness): number | undefined {
  if (ready.kind === 'tcp') return ready.port;
  if (ready.kind === 'http') return localPortOf(ready.url);
  return undefined;
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
  options: {
    pollMs: number;
    signal: AbortSignal;
    dispatcher?: Dispatcher;
    notified?: Promise<void>;
    /** Each check's answer in a few words (`503`, `connection refused`, `nothing listens on port 8001`), for the start's live rows. */
    onAnswer?: (answer: string) => void;
  },
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
  const port = checkedPort(ready);
  let squatted: string | undefined;
  let lastError: string | undefined;
  // Only a listener of the service's own may count; nothing listening is merely "not yet".
  const ownListener = (): boolean => {
    if (!process || port === undefined) return true;
    const owner = portOwnershipOf(process, port);
    if (owner.kind === 'owned') return (squatted = undefined), true;
    if (owner.kind === 'none') return false;
    squatted = describeSquatter(port, owner);
    if (owner.pid !== undefined) throw new ReadinessError('TIERDOWN_PORT_TAKEN', squatted);
    return false;
  };
  // A local service's port with no listener in the kernel's table cannot be ready
  // yet, and a probe would only be refused: 200 services polled every 25 ms tried
  // 8000 connects a second while they started. Only the process's own listener
  // counts anyway (ownListener reads the same table), so this never skips a yes.
  const mayListen = (): boolean => !process || port === undefined || somethingListens(port);
  const answer = (text: string) => options.onAnswer?.(text);
  const check =
    ready.kind === 'notify'
      ? notifiedFlag(options.notified)
      : ready.kind === 'http'
      ? async () => {
          if (!mayListen()) return (lastError = `nothing listens on port ${port}`), answer(lastError), false;
          const result = await probe(ready.url, Math.max(ready.timeoutMs, 1), options.signal, options.dispatcher);
          if (result.error && CERTIFICATE_CODES.test(result.error.code)) {
            throw new ReadinessError('TIERDOWN_TLS_REJECTED', `${ready.url}: TLS certificate rejected: ${result.error.message} (${result.error.code})`);
          }
          lastError = result.error?.message;
          if (result.error?.code === 'TIERDOWN_PORT_TAKEN') {
            // Refused by the connection's port-owner check (http-port-check.ts): a visible holder fails the
            // start now, as below; an invisible one is named if readiness times out.
            answer(result.error.code);
            ownListener();
            return false;
          }
          const passed = result.status !== null && result.status >= 200 && result.status < 300;
          // A 2xx is no news to anyone watching: ready follows (or the port's holder is named).
          if (!passed) answer(result.status !== null ? String(result.status) : (result.error?.code ?? 'no answer'));
          return passed && ownListener();
        }
      : async () => {
          if (!mayListen()) return answer(`nothing listens on port ${ready.port}`), false;
          const open = await portOpen(ready.port, Math.max(ready.timeoutMs, 1));
          if (!open) answer('refused');
          return open && ownListener();
        };
  const polled = pollUntil(check, { intervalMs: options.pollMs, timeoutMs: ready.timeoutMs, signal: options.signal });
  const readyInTime = await (exited ? Promise.race([polled, exited]) : polled);
  if (!readyInTime) {
    const why = squatted ?? (lastError ? `last error: ${lastError}` : undefined);
    throw new ReadinessError('TIERDOWN_NOT_READY', `not ready after ${ready.timeoutMs} ms (waited for ${describeReadiness(ready)}${why ? `; ${why}` : ''})`);
  }
}
