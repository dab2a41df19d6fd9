/**
 * The URLs tierdown talks to for one service: where `POST /shutdown` goes, what
 * readiness polls, and what a remote service's silence is read from. A path
 * (`/health`) is joined to the service's base: `http://127.0.0.1:<port>` for a
 * local service, its `url` (keeping any base path) for a remote one.
 */
import { SHUTDOWN_PATH } from '../protocol.js';
import { DEFAULT_READY_TIMEOUT_MS, LOCAL_HOST } from './defaults.js';
import type { ConfigPath, Problems } from './problems.js';
import type { RawService } from './schema.js';
import type { Readiness } from './types.js';

function isFullUrl(pathOrUrl: string): boolean {
  return !pathOrUrl.startsWith('/');
}

/**
 * Joins an absolute path (with an optional query) to a base URL, keeping the
 * base's own path: `http://h:9000/api` + `/shutdown` → `http://h:9000/api/shutdown`.
 * (`new URL('/shutdown', base)` would drop `/api`.)
 */
export function joinUrl(base: string, pathAndQuery: string): string {
  const url = new URL(base);
  const relative = new URL(pathAndQuery, 'http://placeholder');
  url.pathname = url.pathname.replace(/\/+$/, '') + relative.pathname;
  url.search = relative.search;
  url.hash = '';
  return url.href;
}

/**
 * The port a URL reaches on this machine (loopback: 127.0.0.0/8, ::1,
 * localhost), or undefined for a URL to another host. The run's token is only
 * ever sent to such URLs.
 */
export function localPortOf(url: string): number | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!isLoopbackHost(parsed.hostname)) return undefined;
  if (parsed.port) return Number(parsed.port);
  return parsed.protocol === 'https:' ? 443 : 80;
}

/** A host name that reaches this machine: `localhost`, 127.0.0.0/8 or ::1 (bracketed or not). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function localBase(port: number): string {
  return `http://${LOCAL_HOST}:${port}`;
}

/**
 * A `ready.http` or `healthcheck.http` as a URL: a full URL as written, a path
 * joined to the service's base (its `url`, or 127.0.0.1:<port>); undefined
 * when a path has no base to join.
 */
export function checkUrlOf(service: RawService, pathOrUrl: string): string | undefined {
  if (isFullUrl(pathOrUrl)) return pathOrUrl;
  const base = service.url ?? (service.port !== undefined ? localBase(service.port) : undefined);
  return base === undefined ? undefined : joinUrl(base, pathOrUrl);
}

/** `shutdown.url`, else `/shutdown` on the port, else `/shutdown` under a remote `url`. */
export function shutdownUrlOf(service: RawService): string | undefined {
  if (service.shutdown?.url !== undefined) return service.shutdown.url;
  if (service.port !== undefined) return joinUrl(localBase(service.port), SHUTDOWN_PATH);
  if (service.url !== undefined) return joinUrl(service.url, SHUTDOWN_PATH);
  return undefined;
}

/**
 * What `up` waits for before starting dependents; `{ kind: 'started' }` when the
 * service says nothing. Adds a problem and returns `undefined` when it cannot be built.
 */
export function readinessOf(service: RawService, path: ConfigPath, problems: Problems): Readiness | undefined {
  const ready = service.ready;
  const timeoutMs = ready?.timeout ?? DEFAULT_READY_TIMEOUT_MS;
  if (ready?.notify) {
    const others = [ready.http !== undefined && 'http', ready.tcp && 'tcp'].filter(Boolean);
    if (others.length) problems.add([...path, 'ready'], `choose notify or ${others.join(' or ')}, not both`);
    else if (service.url !== undefined) problems.add([...path, 'ready', 'notify'], 'only for local services (a remote one has no NOTIFY_SOCKET of ours)');
    else return { kind: 'notify', timeoutMs };
    return undefined;
  }
  if (ready?.http !== undefined && ready.tcp) {
    problems.add([...path, 'ready'], 'choose http or tcp, not both');
    return undefined;
  }
  if (ready?.http !== undefined) {
    const url = checkUrlOf(service, ready.http);
    if (url !== undefined) return { kind: 'http', url, timeoutMs };
    problems.add([...path, 'ready', 'http'], `the path ${JSON.stringify(ready.http)} needs port (or give a full URL)`);
    return undefined;
  }
  if (ready?.tcp) {
    if (service.url !== undefined) {
      problems.add([...path, 'ready', 'tcp'], `only for local services (it connects to ${LOCAL_HOST}:<port>)`);
      return undefined;
    }
    if (service.port === undefined) {
      problems.add([...path, 'ready', 'tcp'], 'needs port');
      return undefined;
    }
    return { kind: 'tcp', port: service.port, timeoutMs };
  }
  return { kind: 'started' };
}

/** A remote service has gone when this URL stops answering: its readiness URL, else its `url`. */
export function healthUrlOf(service: RawService, ready: Readiness | undefined): string | undefined {
  if (service.url === undefined) return undefined;
  return ready?.kind === 'http' ? ready.url : service.url;
}
