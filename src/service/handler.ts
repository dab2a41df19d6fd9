/**
 * `createShutdownHandler`: wires the pieces together — options, connection
 * tracking, the once-only shutdown run, signal listeners and the endpoint.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { trackConnections } from './drain.js';
import { createShutdownEndpoint } from './endpoint.js';
import { InvalidOptionError } from './errors.js';
import { clampDeadline, isDeadline, normaliseOptions, type ShutdownHandlerOptions } from './options.js';
import { createShutdownRun } from './run.js';
import { listenForSignals } from './signals.js';
import { TOKEN_ENV } from '../protocol.js';
import type { ShutdownPhase, ShutdownReason, ShutdownResult } from './types.js';

/** What {@link createShutdownHandler} returns. */
export interface ShutdownHandler {
  /**
   * Call first in the server's request listener. Returns `true` when the
   * request was for the shutdown path (it is then answered: 202, 401, 405,
   * 413 or 503); `false` means it is yours to answer.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Connect/Express-style middleware around `handle`. */
  middleware(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
  /**
   * Starts the shutdown from code (no token, no precheck), or joins the one
   * under way. Resolves when hooks and drain are done — just before the
   * process exits when `exit` is true.
   */
  trigger(reason?: ShutdownReason, options?: { deadlineMs?: number }): Promise<ShutdownResult>;
  /** `'running'`, `'shuttingDown'` or `'done'`. */
  readonly phase: ShutdownPhase;
  /** Removes the signal and server listeners; does not stop a shutdown under way. */
  dispose(): void;
}

/**
 * Gives a service tierdown's shutdown protocol (docs/protocol.md): an authenticated
 * `POST /shutdown` plus SIGTERM/SIGINT, all leading to one shutdown that runs
 * the `onShutdown` hooks exactly once, drains the server, and exits.
 *
 * A POST is checked (405, 401), then `precheck` is asked; a refusal answers
 * 503 and nothing stops. Otherwise it answers 202 at once, and after that
 * answer is flushed: the server stops listening and drains while the hooks
 * run with an AbortSignal firing at `deadlineMs`; connections still open at
 * the deadline are cut; the process exits 0, or 1 if a hook failed. A later
 * POST, SIGTERM or SIGINT joins that shutdown (a POST gets 202 again).
 *
 * @example
 * const server = http.createServer((req, res) => {
 *   if (shutdown.handle(req, res)) return;
 *   app(req, res);
 * });
 * const shutdown = createShutdownHandler({
 *   server,
 *   onShutdown: () => saveStateAtomically('state.json', ledger.snapshot()),
 * });
 *
 * @throws {InvalidOptionError} when an option has the wrong type or value.
 */
export function createShutdownHandler(options: ShutdownHandlerOptions = {}): ShutdownHandler {
  const settings = normaliseOptions(options);
  if (settings.token === undefined) {
    settings.log(`no ${TOKEN_ENV} set: POST ${settings.path} will answer 401 (signals still work)`);
  }
  const drain = settings.server ? trackConnections(settings.server) : undefined;
  let stopListening = (): void => {};
  // Once finished, give signals back their default action: nothing is left to protect.
  const run = createShutdownRun(settings, drain, () => stopListening());
  stopListening = listenForSignals(settings.signals, (signal) => void run.start(signal, settings.defaultDeadlineMs));
  const handle = createShutdownEndpoint(settings, run);

  return {
    handle,
    middleware(req, res, next) {
      if (!handle(req, res)) next();
    },
    trigger(reason = 'manual', { deadlineMs = settings.defaultDeadlineMs } = {}) {
      if (!isDeadline(deadlineMs)) {
        return Promise.reject(new InvalidOptionError('deadlineMs', 'a non-negative finite number of milliseconds', deadlineMs));
      }
      return run.start(reason, clampDeadline(deadlineMs));
    },
    get phase() {
      return run.phase;
    },
    dispose() {
      stopListening();
      drain?.dispose();
    },
  };
}
