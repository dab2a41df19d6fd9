/**
 * The public shapes of `tierdown/service`: what hooks receive and what a
 * shutdown reports. Options live in `options.ts`, beside their defaults.
 */
import type { ShutdownHookError } from './errors.js';

/**
 * What started the shutdown: `'http'` for an accepted `POST`, the signal's
 * name for a signal, or the reason given to `trigger()` (default `'manual'`).
 */
export type ShutdownReason = 'http' | NodeJS.Signals | (string & {});

/** Where the helper is: serving, shutting down (hooks/drain running), or finished. */
export type ShutdownPhase = 'running' | 'shuttingDown' | 'done';

/** What every `onShutdown` hook receives. */
export interface ShutdownContext {
  /** Aborts when the deadline is reached (reason: a `TimeoutError` DOMException). */
  signal: AbortSignal;
  /** Milliseconds the service was given, counted from the moment it accepted. */
  deadlineMs: number;
  /** What started the shutdown. */
  reason: ShutdownReason;
}

/**
 * Work to do before the process exits: save state, flush queues, close pools.
 * Hooks run one after another, in the order given, exactly once per process.
 * A hook that throws does not stop the next ones but makes the exit status 1.
 */
export type ShutdownHook = (context: ShutdownContext) => unknown | Promise<unknown>;

/** What a precheck receives: the deadline tierdown asked for. */
export interface PrecheckContext {
  deadlineMs: number;
}

/**
 * A precheck's answer: `true` (or `{ ok: true }`) to accept the shutdown;
 * `false` or `{ ok: false, reason }` to refuse it with 503 and keep running.
 */
export type PrecheckVerdict = boolean | { ok: true } | { ok: false; reason?: string };

/**
 * Asked before a `POST /shutdown` is answered: can the service stop safely now?
 * Throwing counts as a refusal. Signals and `trigger()` do not ask it: a
 * signal is an order, not a question.
 */
export type Precheck = (context: PrecheckContext) => PrecheckVerdict | Promise<PrecheckVerdict>;

/** How a shutdown went; the promise of `trigger()` resolves to it. */
export interface ShutdownResult {
  /** What started it (a later trigger only joins and does not change it). */
  reason: ShutdownReason;
  deadlineMs: number;
  /** 0 when every hook succeeded, 1 when one failed. */
  exitCode: 0 | 1;
  /** One entry per failed hook, in hook order. */
  hookErrors: ShutdownHookError[];
  /** True when connections were still open at the deadline and were cut. */
  forcedClose: boolean;
  /** From acceptance to the end of hooks and drain. */
  durationMs: number;
}
