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
  const enter = (node: string) => {
    index.set(node, index.size);
    lowLink.set(node, index.size - 1);
    stack.push(node);
    onStack.add(node);
  };

  // Tarjan's algorithm with its own call stack (node, next edge to look at): a
  // chain of thousands of services must not exhaust JavaScript's.
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    enter(root);
    const calls: { node: string; next: number }[] = [{ node: root, next: 0 }];
    while (calls.length > 0) {
      const call = calls[calls.length - 1];
      const out = edges.get(call.node) ?? [];
      if (call.next < out.length) {
        const next = out[call.next++];
        if (!index.has(next)) {
          enter(next);
          calls.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          lowLink.set(call.node, Math.min(lowLink.get(call.node) ?? 0, index.get(next) ?? 0));
        }
        continue;
      }
      calls.pop();
      const caller = calls[calls.length - 1];
      if (caller) lowLink.set(caller.node, Math.min(lowLink.get(caller.node) ?? 0, lowLink.get(call.node) ?? 0));
      if (lowLink.get(call.node) !== index.get(call.node)) continue;
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== call.node);
      components.push(component);
    }
  }
  return components;
}

// The shortest way round a component from `start` back to itself (breadth-first).
function cycleThrough(start: string, component: Set<string>, edges: Map<string, string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const next of edges.get(node) ?? []) {
      if (next === start) {
        const back: string[] = [];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) back.push(at);
        return [start, ...back.reverse(), start];
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

  const position = new Map(names.map((name, at) => [name, at]));
  const fileOrder = (name: string): number => position.get(name) ?? 0;
  const cycles = stronglyConnectedComponents(edges)
    .filter((component) => component.length > 1)
    .map((component) => component.sort((a, b) => fileOrder(a) - fileOrder(b)))
    .sort((a, b) => fileOrder(a[0]) - fileOrder(b[0]));
  for (const component of cycles) {
    const cycle = cycleThrough(component[0], new Set(component), edges);
    problems.add(['services', component[0], 'depends_on'], `dependency cycle: ${cycle.join(' -> ')}`);
  }
}
