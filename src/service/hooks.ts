/**
 * Running the `onShutdown` hooks: one after another, in the order given, so a
 * service can stop taking work before it saves state. A failing hook is
 * recorded and the next one still runs: each may be saving something.
 */
import { ShutdownHookError } from './errors.js';
import type { ShutdownContext, ShutdownHook } from './types.js';

/** Runs every hook once, in order; returns the failures, one per failed hook. */
export async function runHooks(
  hooks: readonly ShutdownHook[],
  context: ShutdownContext,
  log: (message: string) => void,
): Promise<ShutdownHookError[]> {
  const errors: ShutdownHookError[] = [];
  for (const [index, hook] of hooks.entries()) {
    try {
      await hook(context);
    } catch (cause) {
      const error = new ShutdownHookError(index, hook.name, cause);
      errors.push(error);
      log(error.message);
    }
  }
  return errors;
}
