/**
 * Options of `createShutdownHandler`, their defaults, and their checks at the
 * edge: a bad option fails at startup with a message naming it, not at the
 * moment the service is asked to stop.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { SHUTDOWN_PATH } from '../protocol.js';
import { InvalidOptionError } from './errors.js';
import { resolveToken } from './token.js';
import type { Precheck, ShutdownHook } from './types.js';

/** Options of {@link createShutdownHandler}. */
export interface ShutdownHandlerOptions {
  /** Server to close and drain on shutdown (stop listening, close keep-alive connections). */
  server?: HttpServer | HttpsServer;
  /** Hooks run once, in order, before exit. */
  onShutdown?: ShutdownHook | ShutdownHook[];
  /** Asked before accepting a `POST`; a refusal answers 503 and the service keeps running. */
  precheck?: Precheck;
  /** Expected bearer token. Default: `process.env.TIERDOWN_SHUTDOWN_TOKEN`. None → every POST gets 401. */
  token?: string;
  /** Path answered by `handle()`. Default `'/shutdown'`. */
  path?: string;
  /** Exit the process when the shutdown is over. Default `true`. */
  exit?: boolean;
  /** How to exit. Default `process.exit`; tests pass their own. */
  exitProcess?: (code: number) => void;
  /** Where the helper's few lines go (the token is never logged). Default: stderr. */
  log?: (message: string) => void;
  /** Signals that start (or join) the shutdown. Default `['SIGTERM', 'SIGINT']`; `[]` for none. */
  signals?: readonly NodeJS.Signals[];
  /** Deadline for signals, `trigger()`, and POSTs without a valid `deadlineMs`. Default 5000. */
  defaultDeadlineMs?: number;
}

/** The defaults; 5 s matches tierdown's default SIGTERM budget (docs/config.md#tiers). */
export const DEFAULTS = {
  path: SHUTDOWN_PATH,
  exit: true,
  signals: Object.freeze(['SIGTERM', 'SIGINT'] as NodeJS.Signals[]),
  defaultDeadlineMs: 5000,
} as const;

/** Options after checks and defaults. */
export interface NormalisedOptions {
  server: HttpServer | HttpsServer | undefined;
  hooks: ShutdownHook[];
  precheck: Precheck | undefined;
  token: string | undefined;
  path: string;
  exit: boolean;
  exitProcess: (code: number) => void;
  log: (message: string) => void;
  signals: NodeJS.Signals[];
  defaultDeadlineMs: number;
}

/** Checks every option (throwing {@link InvalidOptionError}) and fills in defaults. */
export function normaliseOptions(options: ShutdownHandlerOptions): NormalisedOptions {
  const { server, precheck, token, exitProcess, log } = options;
  if (server !== undefined && typeof server?.closeAllConnections !== 'function') {
    throw new InvalidOptionError('server', 'a node:http or node:https Server', server);
  }
  const hooks = options.onShutdown === undefined ? [] : [options.onShutdown].flat();
  for (const hook of hooks) {
    if (typeof hook !== 'function') throw new InvalidOptionError('onShutdown', 'a function or an array of functions', hook);
  }
  checkType('precheck', precheck, 'function');
  checkType('token', token, 'string');
  checkType('exitProcess', exitProcess, 'function');
  checkType('log', log, 'function');
  checkType('exit', options.exit, 'boolean');
  const path = options.path ?? DEFAULTS.path;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new InvalidOptionError('path', 'a string starting with `/`', path);
  const signals = options.signals ?? DEFAULTS.signals;
  if (!Array.isArray(signals) || !signals.every((s) => typeof s === 'string' && s.startsWith('SIG'))) {
    throw new InvalidOptionError('signals', 'an array of signal names like `SIGTERM`', signals);
  }
  const defaultDeadlineMs = options.defaultDeadlineMs ?? DEFAULTS.defaultDeadlineMs;
  if (!isDeadline(defaultDeadlineMs)) {
    throw new InvalidOptionError('defaultDeadlineMs', 'a non-negative finite number of milliseconds', defaultDeadlineMs);
  }
  return {
    server,
    hooks,
    precheck,
    token: resolveToken(token),
    path,
    exit: options.exit ?? DEFAULTS.exit,
    exitProcess: exitProcess ?? ((code) => process.exit(code)),
    log: log ?? ((message) => process.stderr.write(`[tierdown/service] ${message}\n`)),
    signals: [...signals],
    defaultDeadlineMs: clampDeadline(defaultDeadlineMs),
  };
}

/** Longest delay setTimeout honours; anything above would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** A usable deadline: a finite number of milliseconds, not negative. */
export function isDeadline(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Whole milliseconds, capped at what setTimeout can wait. */
export function clampDeadline(ms: number): number {
  return Math.min(Math.round(ms), MAX_DELAY_MS);
}

function checkType(option: string, value: unknown, type: 'function' | 'string' | 'boolean'): void {
  if (value !== undefined && typeof value !== type) throw new InvalidOptionError(option, `a ${type}`, value);
}
