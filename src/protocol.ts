/**
 * The shutdown protocol of docs/protocol.md, as the constants both ends share:
 * tierdown's request (src/actors/http-shutdown.ts) and the service-side helper
 * (src/service, `tierdown/service`). No imports: it sits below both.
 */

/** Path of a service's shutdown endpoint unless `shutdown.url` says otherwise. */
export const SHUTDOWN_PATH = '/shutdown';

/** The only method the endpoint accepts. */
export const SHUTDOWN_METHOD = 'POST';

/** Environment variable through which tierdown hands a local service its token. */
export const TOKEN_ENV = 'TIERDOWN_SHUTDOWN_TOKEN';

/** The token travels as `Authorization: Bearer <token>` (header names are lower case in Node). */
export const AUTHORIZATION_HEADER = 'authorization';
export const BEARER_SCHEME = 'Bearer';

/** The request's JSON body: how long the service has before tierdown sends its signal. */
export interface ShutdownBody {
  deadlineMs: number;
}

/** What the helper answers; tierdown reads any status by `classifyShutdownStatus`. */
export const SHUTDOWN_STATUS = {
  /** Accepted: the service will exit by itself (again 202 for a repeated request). */
  accepted: 202,
  /** No valid token. */
  unauthorized: 401,
  /** A method other than POST (tierdown reads it as "no endpoint here"). */
  methodNotAllowed: 405,
  /** A body far larger than `{"deadlineMs": n}`. */
  tooLarge: 413,
  /** The service cannot stop safely now (its precheck refused); it keeps running. */
  refused: 503,
  /** The helper itself failed. */
  internalError: 500,
} as const;

/** What an answer means to tierdown (docs/protocol.md#answers). */
export type ShutdownAnswer = 'accepted' | 'missing' | 'unauthorized' | 'rejected' | 'error';

/** 2xx accepted; 404, 405, 501 no endpoint (the signal at once); 401, 403 unauthorized; other 5xx refused. */
export function classifyShutdownStatus(status: number): ShutdownAnswer {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 404 || status === SHUTDOWN_STATUS.methodNotAllowed || status === 501) return 'missing';
  if (status === SHUTDOWN_STATUS.unauthorized || status === 403) return 'unauthorized';
  if (status >= 500) return 'rejected';
  return 'error';
}
