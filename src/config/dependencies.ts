/**
 * Checks `depends_on` across the whole file: every name must be a service, none
 * may name itself, and the graph must have no cycle, since stopping needs an
 * order (a service stops before anything it depends on). Cycles are found with
 * Tarjan's strongly connected components: one problem per cycle, naming it.
 */
import type { Problems } from './problems.js';

/** Each declared service with its `depends_on` (`undefined` when that list itself is broken). */
export type DependencyGraph = Map<string, readonly string[] | undefined>;

function stronglyConnectedComponents(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (node: string): void => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component);
  };

  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return components;
}

// The shortest way round a component from `start` back to itself (breadth-first).
function cycleThrough(start: string, component: Set<string>, edges: Map<string, string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges.get(node) ?? []) {
      if (next === start) {
        const cycle = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) cycle.splice(1, 0, at);
        return [...cycle, start];
      }
      if (component.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** Adds a problem for each unknown or self dependency and each dependency cycle. */
export function checkDependencies(graph: DependencyGraph, problems: Problems): void {
  const names = [...graph.keys()];
  const edges = new Map<string, string[]>();
  for (const [name, dependsOn] of graph) {
    const valid: string[] = [];
    dependsOn?.forEach((dependency, position) => {
      const path = ['services', name, 'depends_on', position];
      if (dependency === name) {
        problems.add(path, 'a service cannot depend on itself');
      } else if (!graph.has(dependency)) {
        problems.add(path, `unknown service ${JSON.stringify(dependency)} (known: ${names.join(', ')})`);
      } else {
        valid.push(dependency);
      }
    });
    edges.set(name, valid);
  }

  const fileOrder = (name: string): number => names.indexOf(name);
  const cycles = stronglyConnectedComponents(edges)
    .filter((component) => component.length > 1)
    .map((component) => component.sort((a, b) => fileOrder(a) - fileOrder(b)))
    .sort((a, b) => fileOrder(a[0]) - fileOrder(b[0]));
  for (const component of cycles) {
    const cycle = cycleThrough(component[0], new Set(component), edges);
    problems.add(['services', component[0], 'depends_on'], `dependency cycle: ${cycle.join(' -> ')}`);
  }
}
