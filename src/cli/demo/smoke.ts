/**
 * "Show them running": one real GET per service, and for every service with
 * an HTTP shutdown one POST /shutdown *without* the token, which must be
 * refused — only tierdown, holding the run's token, may stop it (docs/protocol.md).
 */
import { request } from 'undici';
import type { ResolvedConfig, ResolvedService } from '../../config/types.js';
import { table } from '../format.js';

export interface SmokeResult {
  ok: boolean;
  lines: string[];
}

interface Answer {
  status: number | null;
  type: string;
  body: string;
}

async function call(url: string, method: 'GET' | 'POST', timeoutMs: number): Promise<Answer> {
  try {
    const response = await request(url, { method, signal: AbortSignal.timeout(timeoutMs), reset: true });
    const body = await response.body.text();
    const type = String(response.headers['content-type'] ?? '').split(';')[0];
    return { status: response.statusCode, type, body };
  } catch (error) {
    return { status: null, type: '', body: (error as Error).message };
  }
}

// What a person would want to see of the answer: a line of JSON, or the size of a page.
function glimpse(answer: Answer, width: number): string {
  if (answer.status === null) return answer.body;
  if (answer.type === 'application/json') {
    const text = answer.body.replace(/\s+/g, ' ');
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  }
  return `${answer.type || 'body'}, ${answer.body.length} bytes`;
}

function baseUrl(service: ResolvedService): string | undefined {
  if (service.url) return service.url;
  return service.port === undefined ? undefined : `http://127.0.0.1:${service.port}/`;
}

export async function showServing(config: ResolvedConfig, options: { timeoutMs?: number; width?: number } = {}): Promise<SmokeResult> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const rows = [['service', 'GET /', 'POST /shutdown, no token', 'answer']];
  let ok = true;
  await Promise.all(
    config.services.map(async (service, index) => {
      const url = baseUrl(service);
      const get = url ? await call(url, 'GET', timeoutMs) : undefined;
      const guarded = service.tier.steps.includes('http') && service.shutdownUrl ? await call(service.shutdownUrl, 'POST', timeoutMs) : undefined;
      // Any answer below 500 shows a live server; silence or a 5xx does not.
      if (get && (get.status === null || get.status >= 500)) ok = false;
      // 401/403 is the only right answer to a stranger asking a service to stop.
      if (guarded && guarded.status !== 401 && guarded.status !== 403) ok = false;
      rows[index + 1] = [
        service.name,
        get ? String(get.status ?? 'no answer') : '(no port)',
        guarded ? `${guarded.status ?? 'no answer'}${guarded.status === 401 || guarded.status === 403 ? ' refused' : ' NOT REFUSED'}` : '-',
        get ? glimpse(get, options.width ?? 60) : '',
      ];
    }),
  );
  return { ok, lines: table(rows) };
}
