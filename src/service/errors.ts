/**
 * Errors raised by `tierdown/service`. Each carries a stable `code`
 * (`TIERDOWN_SERVICE_*`), so callers can match on it even across copies of
 * the library, where `instanceof` fails.
 */
import { TierdownError, type TierdownErrorCode } from '../errors.js';

/** Stable, machine-readable codes of the helper: `TIERDOWN_SERVICE_*`. */
export type ServiceErrorCode = Extract<TierdownErrorCode, `TIERDOWN_SERVICE_${string}`>;

/** Base class of every error `tierdown/service` raises. */
export class TierdownServiceError extends TierdownError<ServiceErrorCode> {
  constructor(message: string, code: ServiceErrorCode, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'TierdownServiceError';
  }
}

/** An option given to `createShutdownHandler` has the wrong type or value. */
export class InvalidOptionError extends TierdownServiceError {
  declare readonly code: 'TIERDOWN_SERVICE_INVALID_OPTION';
  /** Name of the offending option, e.g. `defaultDeadlineMs`. */
  readonly option: string;

  constructor(option: string, expected: string, value: unknown) {
    super(
      `Expected the \`${option}\` option to be ${expected}, got \`${String(value)}\` (${typeof value})`,
      'TIERDOWN_SERVICE_INVALID_OPTION',
    );
    this.name = 'InvalidOptionError';
    this.option = option;
  }
}

/** An `onShutdown` hook threw or rejected; the process then exits with status 1. */
export class ShutdownHookError extends TierdownServiceError {
  declare readonly code: 'TIERDOWN_SERVICE_HOOK_FAILED';
  /** Position of the hook in `onShutdown`, from 0. */
  readonly hookIndex: number;

  constructor(hookIndex: number, hookName: string, cause: unknown) {
    const label = hookName ? `${hookName} (#${hookIndex})` : `#${hookIndex}`;
    super(`onShutdown hook ${label} failed: ${describe(cause)}`, 'TIERDOWN_SERVICE_HOOK_FAILED', { cause });
    this.name = 'ShutdownHookError';
    this.hookIndex = hookIndex;
  }
}

/** `saveStateAtomically` could not write, sync or rename; the target file is untouched. */
export class AtomicSaveError extends TierdownServiceError {
  declare readonly code: 'TIERDOWN_SERVICE_SAVE_FAILED';
  /** The file that was to be replaced. */
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super(`Could not save state to ${path}: ${describe(cause)}`, 'TIERDOWN_SERVICE_SAVE_FAILED', { cause });
    this.name = 'AtomicSaveError';
    this.path = path;
  }
}

/** One-line description of anything thrown, for messages and logs. */
export function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
