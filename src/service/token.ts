/**
 * The bearer token check of docs/protocol.md. The expected token is per run and comes
 * from tierdown in `TIERDOWN_SHUTDOWN_TOKEN`; with no token configured every
 * request is refused (fail closed).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BEARER_SCHEME, TOKEN_ENV } from '../protocol.js';

/** The configured token: the explicit one, else the environment's; empty counts as none. */
export function resolveToken(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = explicit ?? env[TOKEN_ENV];
  return token ? token : undefined;
}

const BEARER = new RegExp(`^${BEARER_SCHEME}[ \\t]+(\\S+)[ \\t]*$`, 'i');

/** The token of an `Authorization: Bearer <token>` header, if it has that shape. */
export function parseBearer(authorization: string | undefined): string | undefined {
  const match = BEARER.exec(authorization ?? '');
  return match?.[1];
}

/** Whether the header carries the expected token; false when none is expected. */
export function bearerMatches(authorization: string | undefined, expected: string | undefined): boolean {
  const presented = parseBearer(authorization);
  if (expected === undefined || presented === undefined) return false;
  // Comparing SHA-256 digests gives timingSafeEqual equal lengths, so neither
  // the token's length nor its prefix leaks through response timing.
  return timingSafeEqual(sha256(presented), sha256(expected));
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
