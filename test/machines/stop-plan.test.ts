// The plan of a stop as pure functions, table by table: who a request covers,
// who may be asked now, whether a request joins the running stop or waits, and
// what a refused stop or a restart starts again (machines/stop-plan.ts, waves.ts).
import { describe, expect, it } from '@jest/globals';
import type { ServiceOutput } from '../../machines/service.js';
import { admit, coveredBy, restartPlan, rollbackPlan, type StopRequest } from '../../machines/stop-plan.js';
import type { ServiceState } from '../../machines/types.js';
import { readyToStop } from '../../machines/waves.js';

// db ← api ← web, api ← admin; cache alone.
const nodes = [
  { name: 'db', dependsOn: [] },
  { name: 'api', dependsOn: ['db'] },
  { name: 'web', dependsOn: ['api'] },
  { name: 'admin', dependsOn: ['api'] },
  { name: 'cache', dependsOn: [] },
];

const request = (services: string[] | null, extra: Partial<StopRequest> = {}): StopRequest => ({ services, restart: false, forced: false, requestIds: [1], ...extra });

describe('coveredBy: which services a request covers', () => {
  it.each([
    [null, ['db', 'api', 'web', 'admin', 'cache']],
    [[], ['db', 'api', 'web', 'admin', 'cache']],
    [['api'], ['api', 'web', 'admin']],
    [['db'], ['db', 'api', 'web', 'admin']],
    [['web', 'cache'], ['web', 'cache']],
  ] as [string[] | null, string[]][])('%j → %j', (services, covered) => {
    expect(coveredBy(nodes, services)).toEqual(covered);
  });
});

describe('readyToStop: who may be asked now', () => {
  const all = nodes.map((node) => node.name);
  it.each([
    ['nothing asked: those nobody in the stop depends on', [], [], 'dependency', ['web', 'admin', 'cache']],
    ['web ended, admin still stopping: api waits', ['web', 'admin', 'cache'], ['web'], 'dependency', []],
    ['both dependents ended: api now', ['web', 'admin', 'cache'], ['web', 'admin'], 'dependency', ['api']],
    ['--order none: everyone at once', [], [], 'none', all],
  ] as [string, string[], string[], 'dependency' | 'none', string[]][])('%s', (_, asked, ended, order, ready) => {
    expect(readyToStop(nodes, all, order, new Set(asked), new Set(ended))).toEqual(ready);
  });

  it('counts only dependents inside the stop', () => {
    expect(readyToStop(nodes, ['api', 'db'], 'dependency', new Set(), new Set())).toEqual(['api']);
  });
});

describe('admit: join the running stop, or wait', () => {
  const running = { restart: false, onFailure: 'escalate' as const };
  it.each([
    ['a plain stop it already covers joins', running, [], request(['api']), [], 'join'],
    ['one that covers more waits its turn', running, [], request(null), ['cache'], 'queue'],
    ['a restart never joins', running, [], request(['api'], { restart: true }), [], 'queue'],
    ['nothing joins a restart', { ...running, restart: true }, [], request(['api']), [], 'queue'],
    ['another failure policy waits for its own stop', running, [], request(['api'], { onFailure: 'rollback' }), [], 'queue'],
    ['the same policy, said out loud, joins', running, [], request(['api'], { onFailure: 'escalate' }), [], 'join'],
  ] as [string, typeof running, StopRequest[], StopRequest, string[], string][])('%s', (_, stop, queue, asked, outstanding, kind) => {
    expect(admit(stop, queue, asked, outstanding).kind).toBe(kind);
  });

  it('merges a plain stop into a full one already waiting: it runs once, for both', () => {
    const waiting = [request(null, { requestIds: [2] })];
    const admitted = admit(running, waiting, request(['api'], { requestIds: [3], forced: true }), ['api']);
    expect(admitted).toEqual({ kind: 'queue', queue: [{ ...waiting[0], forced: true, requestIds: [2, 3] }] });
  });

  it('queues a restart behind a full stop, in order', () => {
    const waiting = [request(null, { requestIds: [2] })];
    const restart = request(['api'], { restart: true, requestIds: [3] });
    expect(admit(running, waiting, restart, ['api'])).toEqual({ kind: 'queue', queue: [waiting[0], restart] });
  });
});

const output = (name: string, path: ServiceState[], outcome: ServiceOutput['outcome'] = 'stopped'): ServiceOutput => ({
  name,
  tier: 'simple',
  outcome,
  transitions: path.map((to, at) => ({ to, at, reason: 'test' })),
  exitCode: null,
  signal: null,
  detail: null,
});

describe('rollbackPlan: what a refused stop starts again', () => {
  it('watches afresh what did not stop, starts again what the stop stopped, and leaves down what ended by itself', () => {
    const results: Record<string, ServiceOutput> = {
      web: output('web', ['sigterm', 'stopped']),
      admin: output('admin', ['stopped']),
      api: output('api', ['httpShutdown', 'failed'], 'failed'),
    };
    expect(rollbackPlan(['web', 'admin', 'api', 'db'], (name) => results[name])).toEqual({ rewatch: ['api', 'db'], again: ['web'] });
  });
});

describe('restartPlan: what a restart starts again', () => {
  it.each([
    ['stopped in this stop', { api: output('api', ['sigterm', 'stopped']) }, {}, [], ['api']],
    ['failed to stop: still there', { api: output('api', ['sigterm', 'forceKill', 'failed'], 'failed') }, {}, [], []],
    ['stopped by an earlier stop', {}, { api: output('api', ['sigterm', 'stopped']) }, [], ['api']],
    ['never started', {}, {}, [], ['api']],
    ['still running outside this stop', {}, {}, ['api'], []],
  ] as [string, Record<string, ServiceOutput>, Record<string, ServiceOutput>, string[], string[]][])('%s', (_, results, earlier, running, again) => {
    expect(restartPlan(['api'], (name) => results[name], (name) => earlier[name], (name) => running.includes(name))).toEqual(again);
  });
});
