/**
 * Turns any error into what a user should read, and the exit status docs/cli.md
 * gives it — by its code (docs/errors.md), not by its class, so an error from
 * another copy of tierdown is reported the same. Nothing here prints a stack
 * unless TIERDOWN_DEBUG is set.
 */
import type { ConfigError } from '../config/errors.js';
import { isTierdownError, type TierdownError, type TierdownErrorCode } from '../errors.js';
import { EXIT, line, type CliIO } from './io.js';

type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/** The CLI's exit status for each code: 2 for what the user can fix in the config or the command line. */
export const EXIT_BY_CODE: Readonly<Record<TierdownErrorCode, ExitStatus>> = {
  TIERDOWN_CONFIG_INVALID: EXIT.badConfig,
  TIERDOWN_CONFIG_NOT_FOUND: EXIT.badConfig,
  TIERDOWN_CONFIG_UNREADABLE: EXIT.badConfig,
  TIERDOWN_CONFIG_UNPARSABLE: EXIT.badConfig,
  TIERDOWN_USAGE: EXIT.badConfig,
  TIERDOWN_REPORT_PATH: EXIT.badConfig,
  TIERDOWN_REPORT_INVALID: EXIT.badConfig,
  TIERDOWN_UNKNOWN_SERVICE: EXIT.badConfig,
  TIERDOWN_INVALID_OPTION: EXIT.badConfig,
  TIERDOWN_NOT_RUNNING: EXIT.notRunning,
  TIERDOWN_ALREADY_RUNNING: EXIT.failed,
  TIERDOWN_RESTART_UNSUPPORTED: EXIT.failed,
  TIERDOWN_CONTROL_LOST: EXIT.failed,
  TIERDOWN_CONTROL_PROTOCOL: EXIT.failed,
  TIERDOWN_CONTROL_PATH_UNSAFE: EXIT.failed,
  TIERDOWN_START_FAILED: EXIT.failed,
  TIERDOWN_SPAWN_FAILED: EXIT.failed,
  TIERDOWN_CGROUP_JOIN_FAILED: EXIT.failed,
  TIERDOWN_NOT_READY: EXIT.failed,
  TIERDOWN_EXITED_BEFORE_READY: EXIT.failed,
  TIERDOWN_PORT_TAKEN: EXIT.failed,
  TIERDOWN_TLS_REJECTED: EXIT.failed,
  TIERDOWN_TLS_FILE: EXIT.failed,
  TIERDOWN_INPUT_FILE: EXIT.badConfig,
  TIERDOWN_UNSAFE_TARGET: EXIT.badConfig,
  TIERDOWN_PATH_ESCAPE: EXIT.failed,
  TIERDOWN_PORT_IN_USE: EXIT.failed,
  TIERDOWN_NOTIFY_SOCKET: EXIT.failed,
  TIERDOWN_REAPER_MISSING: EXIT.failed,
  TIERDOWN_DEMO_FAILED: EXIT.failed,
  TIERDOWN_SERVICE_INVALID_OPTION: EXIT.failed,
  TIERDOWN_SERVICE_HOOK_FAILED: EXIT.failed,
  TIERDOWN_SERVICE_SAVE_FAILED: EXIT.failed,
};

const CONFIG_CODES: ReadonlySet<TierdownErrorCode> = new Set(['TIERDOWN_CONFIG_INVALID', 'TIERDOWN_CONFIG_NOT_FOUND', 'TIERDOWN_CONFIG_UNREADABLE', 'TIERDOWN_CONFIG_UNPARSABLE']);
const isConfigError = (error: TierdownError): error is ConfigError => CONFIG_CODES.has(error.code);

export function reportError(error: unknown, io: CliIO): number {
  if (!isTierdownError(error)) {
    line(io.stderr, `tierdown: ${error instanceof Error ? error.message : String(error)}`);
    if (io.env.TIERDOWN_DEBUG && error instanceof Error && error.stack) line(io.stderr, error.stack);
    return EXIT.failed;
  }
  if (isConfigError(error)) {
    line(io.stderr, `tierdown: invalid config${error.source ? ` (${error.source})` : ''}:`);
    for (const problem of error.problems) line(io.stderr, `  ${problem.path}: ${problem.message}`);
  } else {
    line(io.stderr, `tierdown: ${error.message}`);
    if (error.code === 'TIERDOWN_USAGE') line(io.stderr, "Run 'tierdown --help' for usage.");
  }
  if (io.env.TIERDOWN_DEBUG && error.stack) line(io.stderr, error.stack);
  return EXIT_BY_CODE[error.code];
}
