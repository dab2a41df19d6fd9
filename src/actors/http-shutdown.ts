/**
 * The `httpShutdown` step: `POST <url>` with the run's bearer token and
 * `{"deadlineMs"}` (docs/protocol.md), classified into what the statechart needs.
 * The deadline is an AbortSignal: undici's own timers tick in whole seconds.
 * Failures are results, not exceptions: every way a request can go is an
 * outcome the machine has a transition for.
 */
import { request, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { describeTlsError } from '../tls/agent.js';
import type { HttpOutcome, HttpResult } from '../../machines/service.js';
import { REFUSAL_BODY_LIMIT } from '../config/defaults.js';
import { sanitizeText } from '../text/sanitize.js';

export interface ShutdownRequest {
  url: string;
  token: string;
  deadlineMs: number;
  /** Frees the socket after this long, answered or not. */
  timeoutMs: number;
  /**
   * The statechart's own `http` budget: a refusal's body is read only within
   * what is left of it, so the refusal is never taken for a timeout.
   */
  answerWithinMs?: number;
  /** How much of a refusal's body is read, and for how long at most. */
  bodyLimit?: { bytes: number; ms: number };
  /** Aborted when the machine leaves `httpShutdown`. */
  signal?: AbortSignal;
  /** https with the service's own CA / client certificate (src/tls). */
  dispatcher?: Dispatcher;
  /** Makes the service's text safe (every token of the run redacted); default: the token sent here. */
  sanitize?: (text: string) => string;
}

/** What a status code means to the statechart (docs/protocol.md). */
export function classifyStatus(status: number): HttpOutcome {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 404 || status === 405 || status === 501) return 'missing';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status >= 500) return 'rejected';
  return 'error';
}

function classifyError(error: unknown, timedOut: boolean, sanitize: (text: string) => string): HttpResult {
  const code = (error as { code?: string }).code ?? '';
  if (timedOut) return { outcome: 'error', status: null, detail: 'no answer before the http timeout' };
  const tls = describeTlsError(error);
  if (tls) return { outcome: 'error', status: null, detail: tls };
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { outcome: 'unreachable', status: null, detail: `connection failed (${code})` };
  }
  return { outcome: 'error', status: null, detail: sanitize((error as Error).message ?? String(error)) };
}

/**
 * The first `bytes` of a body, or what came of it within `ms`: a refusal that
 * streams slowly, never ends, or is 400 MB long costs at most that much.
 */
async function readSome(body: Readable, limit: { bytes: number; ms: number }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const cutOff = setTimeout(() => body.destroy(), limit.ms);
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= limit.bytes) break;
    }
  } catch {
    // Cut off by the time limit or by the service: what came so far is the answer.
  } finally {
    clearTimeout(cutOff);
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit.bytes).toString('utf8');
}

export async function postShutdown(options: ShutdownRequest): Promise<HttpResult> {
  const sanitize = options.sanitize ?? ((text: string) => sanitizeText(text, [options.token]));
  const sentAt = performance.now();
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  try {
    const response = await request(options.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deadlineMs: options.deadlineMs }),
      signal,
      dispatcher: options.dispatcher,
      // One request per stop: no keep-alive socket to hold the engine open afterwards.
      reset: true,
    });
    const outcome = classifyStatus(response.statusCode);
    // The status line is the answer: a service that accepted may stream its body slowly, or
    // never end it, and must not be taken for silent. A refusal's body says why, so a little
    // of it is read — bounded in size and time, within what is left of the http budget.
    let body = '';
    if (outcome === 'accepted') response.body.on('error', () => undefined).destroy();
    else {
      const limit = options.bodyLimit ?? REFUSAL_BODY_LIMIT;
      const left = (options.answerWithinMs ?? options.timeoutMs) - (performance.now() - sentAt);
      body = await readSome(response.body, { bytes: limit.bytes, ms: Math.max(0, Math.min(limit.ms, left / 2)) });
    }
    // The body is the service's text: the token it may echo and any escape sequences go.
    const said = sanitize(body.replace(/\s+/g, ' ')).trim().slice(0, 200);
    return { outcome, status: response.statusCode, detail: `HTTP ${response.statusCode}${said ? ` ${said}` : ''}` };
  } catch (error) {
    return classifyError(error, deadline.aborted, sanitize);
  }
}
