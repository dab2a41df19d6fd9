/**
 * The one error family (docs/errors.md), after undici's: every error tierdown
 * throws is a `TierdownError` with a `name`, a default message and a stable
 * `code` from the table below. Code is what the CLI reports by and what users
 * and tests match on — also across two copies of the library, where
 * `instanceof` fails (`isTierdownError`). Each code means one thing. Each
 * module keeps its own error class beside it; only the base and the codes live here.
 */

/** Every code, with what it means (also the default message). */
export const ERROR_CODES = {
  // The config.
  TIERDOWN_CONFIG_INVALID: 'the config is not valid: one problem per line, each naming its path',
  TIERDOWN_CONFIG_NOT_FOUND: 'no config file where it was looked for',
  TIERDOWN_CONFIG_UNREADABLE: 'the config file cannot be read',
  TIERDOWN_CONFIG_UNPARSABLE: 'the config file is not valid YAML or JSON',
  // The command line.
  TIERDOWN_USAGE: 'the command line is wrong: an unknown flag, a bad value, a missing argument',
  TIERDOWN_REPORT_PATH: 'the --report file cannot be written',
  TIERDOWN_REPORT_INVALID: 'the file is not a tierdown report',
  TIERDOWN_UNKNOWN_SERVICE: 'a name that is no service of the config',
  TIERDOWN_INVALID_OPTION: 'an option of createOrchestrator has the wrong type or value',
  // Talking to a running `up`.
  TIERDOWN_NOT_RUNNING: "no 'tierdown up' runs for this config",
  TIERDOWN_ALREADY_RUNNING: "a 'tierdown up' already runs for this config",
  TIERDOWN_RESTART_UNSUPPORTED: 'the running tierdown cannot restart services',
  TIERDOWN_CONTROL_LOST: 'the running tierdown went away before it answered',
  TIERDOWN_CONTROL_PROTOCOL: 'a message on the control socket was not what tierdown sends',
  TIERDOWN_CONTROL_PATH_UNSAFE: "the run's folder is not safe for its control socket (owner, type)",
  // Starting services.
  TIERDOWN_START_FAILED: 'a service did not start or never became ready; what was started is stopped',
  TIERDOWN_SPAWN_FAILED: "a service's process could not be started",
  TIERDOWN_CGROUP_JOIN_FAILED: 'the engine could not move into or out of a cgroup',
  TIERDOWN_NOT_READY: 'a service did not become ready in its ready.timeout',
  TIERDOWN_EXITED_BEFORE_READY: 'a service exited before it was ready',
  TIERDOWN_PORT_TAKEN: "another process holds a service's port",
  TIERDOWN_TLS_REJECTED: "a service's TLS certificate was refused",
  TIERDOWN_TLS_FILE: 'a TLS file (shutdown.ca, cert, key) cannot be read',
  // Files and paths from input (docs/security.md).
  TIERDOWN_INPUT_FILE: 'a file the config names is not a regular file, is too large, or cannot be read',
  TIERDOWN_UNSAFE_TARGET: 'a file tierdown was to write is a link, a device or not writable',
  TIERDOWN_PATH_ESCAPE: 'a path built from a name would leave the folder it belongs in',
  // What tierdown serves and the host it runs on.
  TIERDOWN_PORT_IN_USE: 'a port tierdown serves on (--ui, --inspect, --health) is taken',
  TIERDOWN_NOTIFY_SOCKET: 'an sd_notify message could not be sent',
  TIERDOWN_REAPER_MISSING: 'the PID-1 reaper addon is not built',
  TIERDOWN_DEMO_FAILED: 'the bundled demo cannot run',
  // tierdown/service, the helper a service imports.
  TIERDOWN_SERVICE_INVALID_OPTION: 'an option of createShutdownHandler has the wrong type or value',
  TIERDOWN_SERVICE_HOOK_FAILED: 'an onShutdown hook threw or rejected',
  TIERDOWN_SERVICE_SAVE_FAILED: 'saveStateAtomically could not write, sync or rename',
} as const;

export type TierdownErrorCode = keyof typeof ERROR_CODES;

// Marks the family on every instance, so a copy of the library recognises another's errors.
const FAMILY = Symbol.for('tierdown.error');

/** Base of every error tierdown throws; `code` says which it is (docs/errors.md). */
export class TierdownError<Code extends TierdownErrorCode = TierdownErrorCode> extends Error {
  override name = 'TierdownError';
  readonly code: Code;
  readonly [FAMILY] = true;

  constructor(code: Code, message: string = ERROR_CODES[code], options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** True for an error of the family, from this copy of tierdown or another. */
export function isTierdownError(value: unknown): value is TierdownError {
  if (!(value instanceof Error) || !(FAMILY in value)) return false;
  const { code } = value as { code?: unknown };
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
