import { describe, it, expect } from '@jest/globals';
import { LOCAL, resolve, serviceProblems } from './helpers.js';

const dependsOn = (...names: string[]) => ({ ...LOCAL, depends_on: names });

describe('depends_on', () => {
  it('must name declared services', () => {
    expect(serviceProblems({ api: dependsOn('db', 'cache'), db: LOCAL })).toEqual([
      'services.api.depends_on.1: unknown service "cache" (known: api, db)',
    ]);
  });

  it('must not name the service itself', () => {
    expect(serviceProblems({ api: dependsOn('api') })).toEqual(['services.api.depends_on.0: a service cannot depend on itself']);
  });

  it('reports a cycle once, named from its first service in the file', () => {
    expect(serviceProblems({ a: dependsOn('b'), b: dependsOn('c'), c: dependsOn('a') })).toEqual([
      'services.a.depends_on: dependency cycle: a -> b -> c -> a',
    ]);
  });

  it('reports each separate cycle', () => {
    expect(serviceProblems({ x: dependsOn('y'), y: dependsOn('x'), ok: dependsOn('x'), p: dependsOn('q'), q: dependsOn('p') })).toEqual([
      'services.x.depends_on: dependency cycle: x -> y -> x',
      'services.p.depends_on: dependency cycle: p -> q -> p',
    ]);
  });

  it('names the shortest way round a tangle of cycles', () => {
    expect(serviceProblems({ a: dependsOn('b', 'c'), b: dependsOn('c'), c: dependsOn('a') })).toEqual([
      'services.a.depends_on: dependency cycle: a -> c -> a',
    ]);
  });

  it('finds a cycle through a service that has other problems', () => {
    expect(serviceProblems({ a: { ...dependsOn('b'), colour: 'red' }, b: dependsOn('a') })).toEqual([
      'services.a.colour: unknown key',
      'services.a.depends_on: dependency cycle: a -> b -> a',
    ]);
  });

  it('accepts a diamond', () => {
    const services = { top: dependsOn('left', 'right'), left: dependsOn('base'), right: dependsOn('base'), base: LOCAL };
    expect(resolve({ version: 1, services }).services.map((service) => service.dependsOn)).toEqual([['left', 'right'], ['base'], ['base'], []]);
  });

  // Tarjan's algorithm with its own stack: the recursive one threw "Maximum call stack size exceeded".
  it('checks a chain of 20,000 services, and finds a cycle 20,000 long', () => {
    const services = Object.fromEntries(Array.from({ length: 20_000 }, (_, at) => [`s${at}`, at === 0 ? LOCAL : dependsOn(`s${at - 1}`)]));
    expect(resolve({ version: 1, services }).services).toHaveLength(20_000);
    const problems = serviceProblems({ ...services, s0: dependsOn('s19999') });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^services\.s0\.depends_on: dependency cycle: s0 -> s19999 -> s19998 -> .* -> s1 -> s0$/);
  });
});
