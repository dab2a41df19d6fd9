// Dependency waves as pure functions (docs/config.md#order): the plan of a
// chain of any length, without recursion on its depth.
import { describe, expect, it } from '@jest/globals';
import { planStartWaves, planStopWaves, withDependents, type DependencyNode } from '../../machines/waves.js';

const chain = (length: number): DependencyNode[] =>
  Array.from({ length }, (_, at) => ({ name: `s${at}`, dependsOn: at === 0 ? [] : [`s${at - 1}`] }));

describe('waves', () => {
  const diamond: DependencyNode[] = [
    { name: 'web', dependsOn: ['api', 'auth'] },
    { name: 'api', dependsOn: ['db'] },
    { name: 'auth', dependsOn: ['db'] },
    { name: 'db', dependsOn: [] },
    { name: 'cron', dependsOn: ['db', 'web'] },
  ];

  it('plans a diamond: start by what each waits for, stop in reverse', () => {
    expect(planStartWaves(diamond)).toEqual([['db'], ['api', 'auth'], ['web'], ['cron']]);
    expect(planStopWaves(diamond, ['web', 'api', 'auth', 'db', 'cron'], 'dependency')).toEqual([['cron'], ['web'], ['api', 'auth'], ['db']]);
    expect(withDependents(diamond, ['auth'])).toEqual(['web', 'auth', 'cron']);
  });

  // 100k deep: the recursive versions threw "Maximum call stack size exceeded" near 10k.
  it('plans a depends_on chain of 100,000 services, one per wave', () => {
    const nodes = chain(100_000);
    const names = nodes.map((node) => node.name);
    const start = planStartWaves(nodes);
    expect(start).toHaveLength(100_000);
    expect([start[0], start[99_999]]).toEqual([['s0'], ['s99999']]);
    const stop = planStopWaves(nodes, names, 'dependency');
    expect([stop[0], stop[99_999]]).toEqual([['s99999'], ['s0']]);
    expect(withDependents(nodes, ['s0'])).toHaveLength(100_000);
  });

  it('plans 100,000 services in one wave', () => {
    const nodes = Array.from({ length: 100_000 }, (_, at) => ({ name: `s${at}`, dependsOn: [] }));
    expect(planStopWaves(nodes, nodes.map((node) => node.name), 'dependency').map((wave) => wave.length)).toEqual([100_000]);
  });
});
