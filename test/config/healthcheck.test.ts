// `healthcheck:` and `required:` of a service (docs/config.md#healthcheck): what they
// resolve to, compose's defaults, and each wrong value named by its path.
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { plannedService } from '../../src/engine/plan.js';
import { BASE_DIR } from './helpers.js';

const SOURCE = `${BASE_DIR}/tierdown.yaml`;

function service(lines: string, head = 'command: [node, a.js]\n    port: 8080') {
  const config = parseConfig(`version: 1\nservices:\n  api:\n    ${head}\n    ${lines}\n`, SOURCE, BASE_DIR, { variables: () => undefined });
  return config.services[0];
}

function problems(lines: string, head = 'command: [node, a.js]\n    port: 8080'): string[] {
  try {
    service(lines, head);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  throw new Error('expected the config to be invalid');
}

describe('healthcheck', () => {
  it('a path is checked on the service port, with compose\'s defaults', () => {
    expect(service('healthcheck: { http: /health }').healthcheck).toEqual({
      probe: { kind: 'http', url: 'http://127.0.0.1:8080/health' },
      intervalMs: 30_000,
      timeoutMs: 30_000,
      retries: 3,
      startPeriodMs: 0,
    });
  });

  it.each([
    ['healthcheck: { tcp: true, interval: 10s, timeout: 2s, retries: 5, start_period: 1m }', { probe: { kind: 'tcp', port: 8080 }, intervalMs: 10_000, timeoutMs: 2000, retries: 5, startPeriodMs: 60_000 }],
    ['healthcheck: { command: [pg_isready, -p, "5432"], interval: 20ms }', { probe: { kind: 'command', command: ['pg_isready', '-p', '5432'] }, intervalMs: 20 }],
    ['healthcheck: { http: "http://127.0.0.1:9000/live" }', { probe: { kind: 'http', url: 'http://127.0.0.1:9000/live' } }],
  ])('%s', (line, expected) => {
    expect(service(line).healthcheck).toMatchObject(expected);
  });

  it('a remote service is checked under its url', () => {
    const head = 'url: "https://10.0.0.7:9000/api"\n    shutdown: { tokenFile: t }';
    expect(service('healthcheck: { http: /health }', head).healthcheck?.probe).toEqual({ kind: 'http', url: 'https://10.0.0.7:9000/api/health' });
  });

  it('goes to the plan as timing only (the check itself stays in src/)', () => {
    const planned = plannedService(service('healthcheck: { tcp: true, retries: 2 }\n    required: false'));
    expect(planned.health).toEqual({ intervalMs: 30_000, timeoutMs: 30_000, retries: 2, startPeriodMs: 0 });
    expect(planned.required).toBe(false);
    expect(plannedService(service('restart: no')).health).toBeUndefined();
  });

  it.each([
    ['healthcheck: {}', 'services.api.healthcheck: needs one check: http (a path or URL), tcp: true or command'],
    ['healthcheck: { http: /h, tcp: true }', 'services.api.healthcheck: choose one of http, tcp, not more'],
    ['healthcheck: { http: health }', 'services.api.healthcheck.http: expected a path like "/health" or a full http(s) URL'],
    ['healthcheck: { tcp: true, interval: 5 }', 'services.api.healthcheck.interval: expected a duration with a unit like "5s", got the bare number 5 (write "5s" or "5ms")'],
    ['healthcheck: { tcp: true, interval: 1ms }', 'services.api.healthcheck.interval: too short: at least "10ms"'],
    ['healthcheck: { tcp: true, timeout: 0s }', 'services.api.healthcheck.timeout: too short: at least "1ms"'],
    ['healthcheck: { tcp: true, start_period: 25h }', 'services.api.healthcheck.start_period: too long: at most "24h" (got "25h")'],
    ['healthcheck: { tcp: true, retries: 0 }', 'services.api.healthcheck.retries: expected 1 or more'],
    ['healthcheck: { tcp: true, retries: 1001 }', 'services.api.healthcheck.retries: expected at most 1000'],
    ['healthcheck: { tcp: true, retries: many }', 'services.api.healthcheck.retries: expected a whole number of failed checks'],
    ['healthcheck: { command: [] }', 'services.api.healthcheck.command: expected at least the program to run'],
    ['healthcheck: { tcp: true, intervall: 1s }', 'services.api.healthcheck.intervall: unknown key (did you mean "interval"?)'],
    ['healtcheck: { tcp: true }', 'services.api.healtcheck: unknown key (did you mean "healthcheck"?)'],
    ['required: maybe', 'services.api.required: expected true or false'],
  ])('%s', (line, expected) => {
    expect(problems(line)).toContain(expected);
  });

  it.each([
    ['healthcheck: { http: /health }', 'command: [node, a.js]', 'services.api.healthcheck.http: the path "/health" needs port (or give a full URL)'],
    ['healthcheck: { tcp: true }', 'command: [node, a.js]', 'services.api.healthcheck.tcp: needs port'],
    ['healthcheck: { tcp: true }', 'url: "https://10.0.0.7:9000"\n    shutdown: { tokenFile: t }', 'services.api.healthcheck.tcp: only for local services (it connects to 127.0.0.1:<port>); use http'],
    ['healthcheck: { command: [check] }', 'url: "https://10.0.0.7:9000"\n    shutdown: { tokenFile: t }', "services.api.healthcheck.command: only for local services (it runs with the service's env, cwd and user); use http"],
  ])('%s with %s', (line, head, expected) => {
    expect(problems(line, head)).toEqual([expected]);
  });
});

describe('required', () => {
  it('is true unless set false', () => {
    expect(service('restart: no').required).toBe(true);
    expect(service('required: false').required).toBe(false);
    expect(service('required: "false"').required).toBe(false);
  });
});
