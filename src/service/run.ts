/**
 * The one shutdown of a process: started by whichever trigger comes first
 * (POST, signal, `trigger()`), joined by every later one. It runs the hooks
 * with an AbortSignal that fires at the deadline, drains the server meanwhile,
 * then exits with 0, or 1 if a hook failed.
 */
import { performance } from 'node:perf_hooks';
import type { ConnectionDrain } from './drain.js';
import { describe } from './errors.js';
import { runHooks } from './hooks.js';
import type { NormalisedOptions } from './options.js';
import type { ShutdownPhase, ShutdownReason, ShutdownResult } from './types.js';

/** The shutdown of this process, shared by all triggers. */
export interface ShutdownRun {
  readonly phase: ShutdownPhase;
  /**
   * Starts the shutdown, or joins the one already started (returning its
   * promise). `ready` is awaited first: the accepted answer must be flushed
   * before anything can make the process exit.
   */
  start(reason: ShutdownReason, deadlineMs: number, ready?: Promise<unknown>): Promise<ShutdownResult>;
}

/** `onFinished` runs once hooks and drain are done, before the exit. */
export function createShutdownRun(
  options: NormalisedOptions,
  drain: ConnectionDrain | undefined,
  onFinished: () => void,
): ShutdownRun {
  let phase: ShutdownPhase = 'running';
  let started: { reason: ShutdownReason; result: Promise<ShutdownResult> } | undefined;

  async function execute(reason: ShutdownReason, deadlineMs: number, ready: Promise<unknown>): Promise<ShutdownResult> {
    await ready.catch(() => undefined);
    const startedAt = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      options.log(`deadline of ${deadlineMs} ms reached`);
      deadline.abort(new DOMException(`shutdown deadline of ${deadlineMs} ms reached`, 'TimeoutError'));
    }, deadlineMs);
    options.log(`shutting down (${reason}), deadline ${deadlineMs} ms`);
    let result: ShutdownResult;
    try {
      const drained = drain?.drain(deadline.signal) ?? Promise.resolve({ forced: false });
      const hookErrors = await runHooks(options.hooks, { signal: deadline.signal, deadlineMs, reason }, options.log);
      const { forced } = await drained;
      const durationMs = performance.now() - startedAt;
      result = { reason, deadlineMs, exitCode: hookErrors.length > 0 ? 1 : 0, hookErrors, forcedClose: forced, durationMs };
    } catch (error) {
      // Only a bug of ours lands here; still end the process rather than hang it.
      options.log(`shutdown failed unexpectedly: ${describe(error)}`);
      result = { reason, deadlineMs, exitCode: 1, hookErrors: [], forcedClose: false, durationMs: performance.now() - startedAt };
    } finally {
      clearTimeout(timer);
    }
    phase = 'done';
    onFinished();
    options.log(`shutdown finished in ${Math.round(result.durationMs)} ms, exit status ${result.exitCode}`);
    if (options.exit) options.exitProcess(result.exitCode);
    return result;
  }

  return {
    get phase() {
      return phase;
    },
    start(reason, deadlineMs, ready = Promise.resolve()) {
      if (started) {
        options.log(`${reason} during shutdown (started by ${started.reason}): joining it`);
        return started.result;
      }
      phase = 'shuttingDown';
      started = { reason, result: execute(reason, deadlineMs, ready) };
      return started.result;
    },
  };
}
