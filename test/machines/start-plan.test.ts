// The plan of a start asked for while the stack runs (machines/start-plan.ts): what
// a request covers, what of it is missing, how requests that waited merge.
import { describe, expect, it } from '@jest/globals';
import { ended, gaveUp, NOT_REQUESTED, NOT_STARTED, readied, restartScheduled, spawned, stopping, type ServiceLife } from '../../machines/life.js';
import { isMissing, mergeStarts, startCoveredBy } from '../../machines/start-plan.js';
import { withDependencies } from '../../machines/waves.js';

const at = '2026-12-04T00:00:00.000Z';
const nodes = [
  { name: 'db', dependsOn: [] },
  { name: 'cache', dependsOn: [] },
  { name: 'api', dependsOn: ['db', 'cache'] },
  { name: 'web', dependsOn: ['api'] },
  { name: 'worker', dependsOn: ['db'] },
];

describe('what a start covers', () => {
  it.each([
    [['web'], ['db', 'cache', 'api', 'web']],
    [['worker'], ['db', 'worker']],
    [['worker', 'cache'], ['db', 'cache', 'worker']],
    [[], ['db', 'cache', 'api', 'web', 'worker']],
  ])('%j covers %j, in plan order', (named, covered) => {
    expect(startCoveredBy(nodes, named)).toEqual(covered);
  });

  it('follows a chain of 20 000 services without recursion', () => {
    const chain = Array.from({ length: 20_000 }, (_, index) => ({ name: `s${index}`, dependsOn: index ? [`s${index - 1}`] : [] }));
    expect(withDependencies(chain, ['s19999'])).toHaveLength(20_000);
  });
});

describe('what is missing', () => {
  const up = readied(spawned(NOT_STARTED, 7, at), true);
  const failedAlive = ended(stopping(up), { outcome: 'failed', bySelf: false, exitCode: null, signal: null }, at);
  it.each<[string, ServiceLife, boolean, boolean]>([
    ['not started (not named at up)', NOT_REQUESTED, false, true],
    ['stopped by a stop', ended(stopping(up), { outcome: 'stopped', bySelf: false, exitCode: null, signal: 'SIGTERM' }, at), false, true],
    ['crashed, no restart policy', ended(up, { outcome: 'stopped', bySelf: true, exitCode: 1, signal: null }, at), false, true],
    ['gave up', gaveUp(up, 5), false, true],
    ['failed to start (no process)', { ...NOT_STARTED, state: 'failed' }, false, true],
    ['failed, still alive after SIGKILL', failedAlive, false, false],
    ['ready', up, false, false],
    ['starting', spawned(NOT_STARTED, 7, at), false, false],
    ['stopping', stopping(up), false, false],
    ['crashed, its supervisor brings it back', ended(up, { outcome: 'stopped', bySelf: true, exitCode: 1, signal: null }, at), true, false],
    ['restarting', restartScheduled(up), true, false],
  ])('%s: %s', (_, life, restarting, missing) => {
    expect(isMissing(life, restarting)).toBe(missing);
  });
});

describe('requests that waited', () => {
  it('merge into one start of every service they name, answering all of them', () => {
    expect(mergeStarts([{ services: ['web'], requestIds: [1] }, { services: ['worker', 'web'], requestIds: [2] }])).toEqual({ services: ['web', 'worker'], requestIds: [1, 2] });
  });
  it('become a start of everything when one names none', () => {
    expect(mergeStarts([{ services: ['web'], requestIds: [1] }, { services: null, requestIds: [] }])).toEqual({ services: null, requestIds: [1] });
  });
});
