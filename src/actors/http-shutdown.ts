/**
 * The `httpShutdown` step: `POST <url>` with the run's bearer token and
 * `{"deadlineMs"}` (SPEC §5), classified into what the statechart needs.
 * The deadline is an AbortSignal: undici's own timers tick in whole seconds.
 * Failures are results, not exceptions: every way a request can go is an
 * outcome the machine has a transition for.
 */
import { request, type Dispatcher } from 'undici';
import { describeTlsError } from '../tls/agent.js';
import type { HttpOutcome, HttpResult } from '../../machines/service.js';

export interface ShutdownRequest {
  url: string;
  token: string;
  deadlineMs: number;
  timeoutMs: number;
  /** Aborted when the machine leaves `httpShutdown`. */
  signal?: AbortSignal;
  /** https with the service's own CA / client certificate (src/tls). */
  dispatcher?: Dispatcher;
}

/** What a status code means to the statechart (SPEC §2 `httpShutdown`). */
export function classifyStatus(status: number): HttpOutcome {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 404 || status === 405 || status === 501) return 'missing';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status >= 500) return 'rejected';
  return 'error';
}

function classifyError(error: unknown, timedOut: boolean): HttpResult {
  const code = (error as { code?: string }).code ?? '';
  if (timedOut) return { outcome: 'error', status: null, detail: 'no answer before the http timeout' };
  const tls = describeTlsError(error);
  if (tls) return { outcome: 'error', status: null, detail: tls };
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { outcome: 'unreachable', status: null, detail: `connection failed (${code})` };
  }
  return { outcome: 'error', status: null, detail: (error as Error).message ?? String(error) };
}

export async function postShutdown(options: ShutdownRequest): Promise<HttpResult> {
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
    // never end it, and must not be taken for silent. A refusal's body says why: worth reading.
    let body = '';
    if (outcome === 'accepted') response.body.on('error', () => undefined).destroy();
    else body = await response.body.text().catch(() => '');
    const said = body.trim().slice(0, 200);
    return { outcome, status: response.statusCode, detail: `HTTP ${response.statusCode}${said ? ` ${said}` : ''}` };
  } catch (error) {
    return classifyError(error, deadline.aborted);
  }
}
