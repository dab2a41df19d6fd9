/**
 * Errors of the control channel between `up` and `down`, each with a stable
 * code: down turns them into an exit status, tests match on them.
 */
import { TierdownError } from '../../errors.js';

export type ControlErrorCode =
  /** No `up` listens for this config (no socket, or a stale one). */
  | 'TIERDOWN_NOT_RUNNING'
  /** An `up` for this config already listens. */
  | 'TIERDOWN_ALREADY_RUNNING'
  /** `down NAME` named a service the running stack does not have. */
  | 'TIERDOWN_UNKNOWN_SERVICE'
  /** The connection ended before the shutdown's report arrived. */
  | 'TIERDOWN_CONTROL_LOST'
  /** A line on the channel was not the JSON we expect. */
  | 'TIERDOWN_CONTROL_PROTOCOL'
  /** The run folder is not safe for a socket (wrong owner, not a folder). */
  | 'TIERDOWN_CONTROL_PATH_UNSAFE'
  /** `restart` asked of a tierdown that cannot restart services. */
  | 'TIERDOWN_RESTART_UNSUPPORTED'
  /** A `start` (or `up` on a running stack) that did not bring every service up. */
  | 'TIERDOWN_START_FAILED'
  /** A request without what it needs (a restart naming no service). */
  | 'TIERDOWN_USAGE';

export class ControlError extends TierdownError<ControlErrorCode> {
  override name = 'ControlError';
}
