/**
 * `tierdown/service`: what a Node service imports to stop well under tierdown
 * — an authenticated `POST /shutdown`, SIGTERM/SIGINT handling, hooks that run
 * exactly once, connection draining, and atomic state saves.
 */
export { createShutdownHandler, type ShutdownHandler } from './handler.js';
export { DEFAULTS, type ShutdownHandlerOptions } from './options.js';
export { saveStateAtomically, type SaveStateOptions } from './atomic-save.js';
export { TOKEN_ENV } from '../protocol.js';
export {
  AtomicSaveError,
  InvalidOptionError,
  ShutdownHookError,
  TierdownServiceError,
  type ServiceErrorCode,
} from './errors.js';
export { TierdownError, isTierdownError } from '../errors.js';
export type {
  Precheck,
  PrecheckContext,
  PrecheckVerdict,
  ShutdownContext,
  ShutdownHook,
  ShutdownPhase,
  ShutdownReason,
  ShutdownResult,
} from './types.js';
export { extendTimeout, notifyReady, notifyStatus, notifyStopping } from './notify.js';
