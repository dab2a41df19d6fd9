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
import { afterIo } from '../../machines/step-timer.js';
import { REFUSAL_BODY_LIMIT } from '../config/defaults.js';
import { sanitizeText } from '../text/sanitize.js';
import { AUTHORIZATION_HEADER, BEARER_SCHEME, classifyShutdownStatus, SHUTDOWN_METHOD, type ShutdownBody } from '../protocol.js';
import { PortTakenError } from './http-port-check.js';
import { createDispatcher, ON_STATUS_LINE, type StatusLineOption, type TlsConnect } from './http-dispatchers.js';

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
  /**
   * The run's keep-alive dispatcher of the service (http-dispatchers.ts), whose
   * connection its readiness polls warmed; without one, a dispatcher of this
   * request's own, with `tls`, closed after it.
   */
  dispatcher?: Dispatcher;
  /** https with the service's own CA / client certificate (src/tls), for a request without `dispatcher`. */
  tls?: TlsConnect;
  /** Makes the service's text safe (every token of the run redacted); default: the token sent here. */
  sanitize?: (text: string) => string;
}

function classifyError(error: unknown, timedOut: boolean, sanitize: (text: string) => string): HttpResult {
  const code = (error as { code?: string }).code ?? '';
  if (timedOut) return { outcome: 'error', status: null, detail: 'no answer before the http timeout' };
  // Refused by the dispatcher's port-owner check (http-port-check.ts): nothing was written.
  if (error instanceof PortTakenError) return { outcome: 'unreachable', status: null, detail: `not sent: ${error.message}` };
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

/** Resolves with the status `graceMs()` after its status line came, if the headers have not ended by then. */
function headersNeverEnd(status: Promise<number>, graceMs: () => number): Promise<number> {
  return status.then((code) => new Promise<number>((resolve) => setTimeout(() => resolve(code), graceMs()).unref()));
}

/**
 * The request's own deadline, a backstop behind the statechart's `http` budget (whose
 * leaving the state aborts the request first): it ends as a step timer does
 * (machines/step-timer.ts `afterIo`), so an engine held past both hears the step's
 * timeout (`httpTimeout`) first, not this (`HTTP_ERROR`).
 */
function backstop(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const clear = afterIo(ms, () => controller.abort(new DOMException('no answer before the http timeout', 'TimeoutError')), { unref: true });
  return { signal: controller.signal, clear };
}

export async function postShutdown(options: ShutdownRequest): Promise<HttpResult> {
  const sanitize = options.sanitize ?? ((text: string) => sanitizeText(text, [options.token]));
  const sentAt = performance.now();
  const limit = options.bodyLimit ?? REFUSAL_BODY_LIMIT;
  // How long the rest of an answer (its headers' end, a refusal's body) may take past its
  // status line: bounded, and within what is left of the http budget.
  const graceMs = () => Math.max(0, Math.min(limit.ms, ((options.answerWithinMs ?? options.timeoutMs) - (performance.now() - sentAt)) / 2));
  const deadline = backstop(options.timeoutMs);
  const giveUp = new AbortController();
  const signal = AbortSignal.any([deadline.signal, giveUp.signal, ...(options.signal ? [options.signal] : [])]);
  let found: (status: number) => void = () => {};
  const statusLine = new Promise<number>((resolve) => (found = resolve));
  const dispatcher = options.dispatcher ?? createDispatcher(options.tls);
  try {
    const requestOptions: Parameters<typeof request>[1] & StatusLineOption = {
      method: SHUTDOWN_METHOD,
      headers: { [AUTHORIZATION_HEADER]: `${BEARER_SCHEME} ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deadlineMs: options.deadlineMs } satisfies ShutdownBody),
      signal,
      dispatcher,
      // Its status line as it arrives, from the connection's watcher (http-status-line.ts).
      [ON_STATUS_LINE]: found,
    };
    const answered = request(options.url, requestOptions);
    const first = await Promise.race([answered, headersNeverEnd(statusLine, graceMs)]);
    // The status line decides (docs/protocol.md): headers that never end do not make a 503 a timeout.
    if (typeof first === 'number') {
      giveUp.abort();
      answered.catch(() => undefined);
      return { outcome: classifyShutdownStatus(first), status: first, detail: `HTTP ${first} (its headers never ended)` };
    }
    const response = first;
    const outcome: HttpOutcome = classifyShutdownStatus(response.statusCode);
    // The status line is the answer: a service that accepted may stream its body slowly, or
    // never end it, and must not be taken for silent. A refusal's body says why, so a little
    // of it is read — bounded in size and time, within what is left of the http budget.
    let body = '';
    if (outcome === 'accepted') response.body.on('error', () => undefined).destroy();
    else body = await readSome(response.body, { bytes: limit.bytes, ms: graceMs() });
    // The body is the service's text: the token it may echo and any escape sequences go.
    const said = sanitize(body.replace(/\s+/g, ' ')).trim().slice(0, 200);
    return { outcome, status: response.statusCode, detail: `HTTP ${response.statusCode}${said ? ` ${said}` : ''}` };
  } catch (error) {
    return classifyError(error, deadline.signal.aborted, sanitize);
  } finally {
    deadline.clear();
    if (!options.dispatcher) dispatcher.destroy().catch(() => undefined);
  }
}
