/**
 * Reading the shutdown request's small JSON body and writing JSON answers.
 * Lenient on input: tierdown is the only expected caller, and a missing or
 * odd `deadlineMs` just means "use the default".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import type { ShutdownBody } from '../protocol.js';
import { clampDeadline, isDeadline } from './options.js';

/** `{"deadlineMs": n}` is a few bytes; anything near this is not tierdown. */
export const MAX_BODY_BYTES = 16 * 1024;

/** How reading a body ended. */
export type BodyRead = { kind: 'read'; text: string } | { kind: 'tooLarge' } | { kind: 'aborted' };

/** Reads the whole body, giving up past `limitBytes`. */
export function readBody(req: IncomingMessage, limitBytes = MAX_BODY_BYTES): Promise<BodyRead> {
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) return Promise.resolve({ kind: 'tooLarge' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: BodyRead): void => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) settle({ kind: 'tooLarge' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => settle({ kind: 'read', text: Buffer.concat(chunks).toString('utf8') });
    const onAbort = (): void => settle({ kind: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort);
  });
}

/** `deadlineMs` from a body like `{"deadlineMs": 3000}`, or the fallback. */
export function parseDeadlineMs(bodyText: string, fallbackMs: number): number {
  try {
    const body: unknown = JSON.parse(bodyText);
    const value = (body as Partial<Record<keyof ShutdownBody, unknown>> | null)?.deadlineMs;
    return isDeadline(value) ? clampDeadline(value) : fallbackMs;
  } catch {
    return fallbackMs;
  }
}

/**
 * Sends a JSON answer; resolves once it has been handed to the kernel or the
 * connection is gone, so a caller can exit without cutting it short.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(payload)),
    'Cache-Control': 'no-store',
  });
  return new Promise((resolve) => {
    finished(res, () => resolve());
    res.end(payload);
  });
}

/** The path part of a request URL, without query or fragment. */
export function pathnameOf(url: string | undefined): string {
  return (url ?? '/').split(/[?#]/, 1)[0] ?? '/';
}
