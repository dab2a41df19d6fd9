// The API's options are checked like the config (docs/security.md, "Input bounds"):
// a wrong one is refused with its name and value before any service is spawned.
import { describe, expect, it } from '@jest/globals';
import { createOrchestrator, isTierdownError, OrchestratorOptionError, type OrchestratorOptions } from '../../src/index.js';
import { resolveConfig } from '../../src/config/index.js';

// A service that would leave a trace if it were ever started: it must not be.
const config = () => resolveConfig({ version: 1, services: { svc: { command: ['/bin/false'] } } }, '<test>', process.cwd());

describe('createOrchestrator options', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['graceMs beyond 24h', { graceMs: 25 * 3_600_000 }, /`graceMs` option .* at most 86400000 \(24h\), got 90000000 \(number\)/],
    ['graceMs Infinity', { graceMs: Infinity }, /`graceMs` .* got Infinity \(number\)/],
    ['graceMs NaN', { graceMs: NaN }, /`graceMs` .* got NaN \(number\)/],
    ['graceMs 0', { graceMs: 0 }, /`graceMs` .* got 0 \(number\)/],
    ['graceMs negative', { graceMs: -5 }, /`graceMs` .* got -5 \(number\)/],
    ['graceMs as a string', { graceMs: '30s' }, /`graceMs` .* got "30s"/],
    ['an unknown order', { order: 'random' }, /`order` option to be one of "dependency", "none", got "random"/],
    ['an unknown onFailure', { onFailure: 'ignore' }, /`onFailure` option to be one of "escalate", "rollback", got "ignore"/],
  ];
  it.each(bad)('refuses %s with TIERDOWN_INVALID_OPTION', (_label, options, message) => {
    let thrown: unknown;
    try {
      // Options from untyped callers (JavaScript, JSON): the check is what protects them.
      createOrchestrator(config(), options as OrchestratorOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OrchestratorOptionError);
    expect(isTierdownError(thrown) && thrown.code).toBe('TIERDOWN_INVALID_OPTION');
    expect((thrown as Error).message).toMatch(message);
  });

  it('takes the bounds themselves: 24h, 1 ms and the known choices', () => {
    for (const options of [{ graceMs: 24 * 3_600_000 }, { graceMs: 1 }, { order: 'none' as const, onFailure: 'rollback' as const }]) {
      expect(() => createOrchestrator(config(), options)).not.toThrow();
    }
  });
});
