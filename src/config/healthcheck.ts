/**
 * `healthcheck:` of one service (docs/config.md#healthcheck): which check it
 * makes — a GET, a TCP connect or a command — and its timing, defaults filled
 * in (compose's). Adds a problem naming its path and returns `undefined` when
 * the check cannot be built.
 */
import { DEFAULT_HEALTHCHECK, LOCAL_HOST } from './defaults.js';
import { checkUrlOf } from './endpoints.js';
import type { ConfigPath, Problems } from './problems.js';
import type { RawService } from './schema.js';
import type { HealthCheck, HealthProbe } from './types.js';

function probeOf(service: RawService, path: ConfigPath, problems: Problems): HealthProbe | undefined {
  const check = service.healthcheck;
  if (!check) return undefined;
  const at = [...path, 'healthcheck'];
  const chosen = [check.http !== undefined && 'http', check.tcp === true && 'tcp', check.command !== undefined && 'command'].filter((kind) => kind !== false);
  if (chosen.length !== 1) {
    problems.add(at, chosen.length ? `choose one of ${chosen.join(', ')}, not more` : 'needs one check: http (a path or URL), tcp: true or command');
    return undefined;
  }
  if (check.http !== undefined) {
    const url = checkUrlOf(service, check.http);
    if (url !== undefined) return { kind: 'http', url };
    problems.add([...at, 'http'], `the path ${JSON.stringify(check.http)} needs port (or give a full URL)`);
    return undefined;
  }
  // A remote service has no port of ours to connect to, nor a cwd/env/user to run a command with.
  const local = service.url === undefined;
  if (check.tcp === true) {
    if (!local) problems.add([...at, 'tcp'], `only for local services (it connects to ${LOCAL_HOST}:<port>); use http`);
    else if (service.port === undefined) problems.add([...at, 'tcp'], 'needs port');
    else return { kind: 'tcp', port: service.port };
    return undefined;
  }
  if (check.command !== undefined && local) return { kind: 'command', command: check.command };
  problems.add([...at, 'command'], 'only for local services (it runs with the service\'s env, cwd and user); use http');
  return undefined;
}

/** The service's health check, `null` when it has none, `undefined` when it is wrong (a problem was added). */
export function healthcheckOf(service: RawService, path: ConfigPath, problems: Problems): HealthCheck | null | undefined {
  const check = service.healthcheck;
  if (!check) return null;
  const probe = probeOf(service, path, problems);
  if (!probe) return undefined;
  return {
    probe,
    intervalMs: check.interval ?? DEFAULT_HEALTHCHECK.intervalMs,
    timeoutMs: check.timeout ?? DEFAULT_HEALTHCHECK.timeoutMs,
    retries: check.retries ?? DEFAULT_HEALTHCHECK.retries,
    startPeriodMs: check.start_period ?? DEFAULT_HEALTHCHECK.startPeriodMs,
  };
}
