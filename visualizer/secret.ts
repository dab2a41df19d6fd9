/**
 * The page's per-run secret: every URL the visualizer answers starts with
 * `/<secret>/`, and only the URL printed to the user carries it. Other local
 * users can reach 127.0.0.1 too; without the secret they get 404 for every
 * route (page, model, event stream, report), as if nothing were there.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 144 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(18).toString('base64url');
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Splits `/<secret>/rest` into the route (`/rest`) when the secret matches,
 * comparing in constant time (digests, so the length leaks nothing either).
 */
export function routeOf(urlPath: string, secret: string): string | undefined {
  const match = /^\/([^/]*)(\/.*)?$/.exec(urlPath);
  if (!match) return undefined;
  if (!timingSafeEqual(digest(match[1]), digest(secret))) return undefined;
  return match[2] ?? undefined;
}
