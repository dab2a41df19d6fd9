import { describe, it, expect } from '@jest/globals';
import { parseDuration } from '../../src/config/durations.js';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { problemsOf, serviceOf, LOCAL } from './helpers.js';

describe('parseDuration', () => {
  it.each([
    [250, 250],
    [0, 0],
    [1.5, 1.5],
    ['500ms', 500],
    ['5s', 5000],
    ['1.5s', 1500],
    ['1.1s', 1100],
    ['.5s', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 5s ', 5000],
    ['5 s', 5000],
    ['5S', 5000],
  ])('reads %j as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([['250'], ['5'], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['-5s'], ['5 parsecs'], ['s'], [''], ['5s5'], ['1e3'], [null], [true], [[5]], [{}]])(
    'rejects %p',
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );
});

describe('durations in the config', () => {
  it('turns every timeout into ms', () => {
    const service = serviceOf({ api: { ...LOCAL, timeouts: { http: '500ms', exit: '1.5s', sigterm: 250, kill: '2m' } } });
    expect(service.timeouts).toEqual({ http: 500, exit: 1500, sigterm: 250, kill: 120_000 });
  });

  it('turns ready.timeout into ms', () => {
    const service = serviceOf({ api: { ...LOCAL, port: 8001, ready: { tcp: true, timeout: '10s' } } });
    expect(service.ready).toEqual({ kind: 'tcp', port: 8001, timeoutMs: 10_000 });
  });

  it('rejects a duration longer than 24h, which would overflow Node timers', () => {
    expect(problemsOf({ version: 1, services: { api: { ...LOCAL, timeouts: { sigterm: '1000h' } } } })).toEqual([
      'services.api.timeouts.sigterm: too long: at most "24h" (got "1000h")',
    ]);
    expect(serviceOf({ api: { ...LOCAL, timeouts: { sigterm: '24h' } } }).timeouts.sigterm).toBe(86_400_000);
  });

  it('names the path of a bad duration', () => {
    expect(problemsOf({ version: 1, services: { backend: { ...LOCAL, timeouts: { exit: 'soon' } } } })).toEqual([
      'services.backend.timeouts.exit: expected a duration like "5s"',
    ]);
  });

  it('rejects bad durations everywhere they can appear', () => {
    const problems = problemsOf({
      version: 1,
      defaults: { timeouts: { http: -1 } },
      tiers: { drain: { timeouts: { kill: '2 fortnights' } } },
      services: { api: { ...LOCAL, port: 1, ready: { tcp: true, timeout: 'later' } } },
    });
    expect(problems).toEqual([
      'defaults.timeouts.http: expected a duration like "5s"',
      'tiers.drain.timeouts.kill: expected a duration like "5s"',
      'services.api.ready.timeout: expected a duration like "5s"',
    ]);
  });
});

describe('bare numbers in a config file', () => {
  it('are an error naming the path and suggesting a unit, with the other problems', () => {
    const text = 'version: 1\nservices:\n  api:\n    command: [node, a.js]\n    port: 8001\n    tier: nope\n    timeouts: { kill: 5 }\n    ready: { tcp: true, timeout: 250 }\n';
    let problems: string[] = [];
    try {
      parseConfig(text, '/srv/stack/tierdown.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
    }
    expect(problems).toEqual([
      'services.api.timeouts.kill: expected a duration with a unit like "5s", got the bare number 5 (write "5s" or "5ms")',
      'services.api.ready.timeout: expected a duration with a unit like "5s", got the bare number 250 (write "250s" or "250ms")',
      expect.stringMatching(/^services\.api\.tier: unknown tier "nope"/),
    ]);
  });

  it('are milliseconds through the API', () => {
    expect(serviceOf({ api: { ...LOCAL, timeouts: { kill: 5 } } }).timeouts.kill).toBe(5);
  });
});
