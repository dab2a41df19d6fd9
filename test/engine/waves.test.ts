// Dependency order with real processes (SPEC §4): a service stops before
// anything it depends on; services of one wave are asked together.
import { describe, expect, it } from '@jest/globals';
import type { ShutdownReport } from '../../src/index.js';
import { ConfigError, resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { fixtureConfig, SIGTERM_RUNS_OUT, startStack, TEST_TIMING } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

const firstMove = (report: ShutdownReport, name: string) => report.services.find((s) => s.name === name)!.transitions[0].atMs;
const lastMove = (report: ShutdownReport, name: string) => report.services.find((s) => s.name === name)!.transitions.at(-1)!.atMs;

describe('waves', () => {
  it('stops dependents first and a wave in parallel', async () => {
    const stubborn = { env: { FIX_SIGTERM: 'ignore' }, timeouts: SIGTERM_RUNS_OUT };
    const stack = await startStack(owned.ledger, {
      db: {},
      api: { depends_on: ['db'] },
      web: { ...stubborn, depends_on: ['api'] },
      admin: { ...stubborn, depends_on: ['api'] },
    });
    const report = await stack.shutdown();
    expect(report.waves).toEqual([['web', 'admin'], ['api'], ['db']]);
    // Both of wave 0 were asked before either ended (each waits out its sigterm timeout).
    expect(Math.max(firstMove(report, 'web'), firstMove(report, 'admin'))).toBeLessThan(Math.min(lastMove(report, 'web'), lastMove(report, 'admin')));
    expect(firstMove(report, 'api')).toBeGreaterThanOrEqual(Math.max(lastMove(report, 'web'), lastMove(report, 'admin')));
    expect(firstMove(report, 'db')).toBeGreaterThanOrEqual(lastMove(report, 'api'));
    expect(report.services.map((s) => s.wave)).toEqual([0, 0, 1, 2]);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('starts a dependency, and waits for it to be ready, before what depends on it', async () => {
    const config = resolveConfig(await fixtureConfig(owned.ledger, { db: {}, api: { depends_on: ['db'] } }), '<test>', owned.ledger.dir);
    const stack = createOrchestrator(config, { timing: TEST_TIMING });
    const seen: string[] = [];
    stack.subscribe((event) => {
      if (event.type === 'spawned' || event.type === 'ready') seen.push(`${event.type} ${event.service}`);
    });
    await stack.start();
    expect(seen).toEqual(['spawned db', 'ready db', 'spawned api', 'ready api']);
    await stack.shutdown();
  });

  it('stops everything at once with order none', async () => {
    const stack = await startStack(owned.ledger, { db: {}, api: { depends_on: ['db'] } }, { order: 'none' });
    const report = await stack.shutdown();
    expect(report.waves).toEqual([['db', 'api']]);
    expect(report.services.every((s) => s.wave === 0)).toBe(true);
  });

  it('stops only the named services and their dependents, leaving the rest running', async () => {
    const stack = await startStack(owned.ledger, { db: {}, api: { depends_on: ['db'] }, web: { depends_on: ['api'] }, cache: {} });
    const partial = await stack.shutdown(['api']);
    expect(partial.waves).toEqual([['web'], ['api']]);
    expect(stack.status().filter((row) => row.state === 'ready').map((row) => row.name).sort()).toEqual(['cache', 'db']);
    expect(owned.ledger.survivors()).toHaveLength(2);
    const rest = await stack.shutdown();
    expect(rest.services.map((s) => s.name).sort()).toEqual(['cache', 'db']);
    expect(stack.finished).toBe(true);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('createOrchestrator', () => {
  it('accepts a plain config object and rejects a bad one with ConfigError', async () => {
    const raw = await fixtureConfig(owned.ledger, { solo: {} });
    const stack = createOrchestrator(raw, { timing: TEST_TIMING });
    await stack.start();
    expect((await stack.shutdown()).outcome).toBe('stopped');
    expect(() => createOrchestrator({ version: 1, services: { a: { tier: 'fast' } } })).toThrow(ConfigError);
  });
});
