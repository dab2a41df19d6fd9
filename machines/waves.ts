/**
 * Dependency ordering (docs/config.md): services start in dependency order and stop in
 * reverse, in parallel waves. Pure functions over the `depends_on` graph.
 */

export interface DependencyNode {
  name: string;
  dependsOn: string[];
}

export type StopOrder = 'dependency' | 'none';

/** Who depends on each service (the reverse of `depends_on`). */
export function dependentsOf(nodes: DependencyNode[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>(nodes.map((node) => [node.name, []]));
  for (const node of nodes) for (const dependency of node.dependsOn) dependents.get(dependency)?.push(node.name);
  return dependents;
}

/** The targets plus everything that depends on them, directly or not (partial stop). */
export function withDependents(nodes: DependencyNode[], targets: string[]): string[] {
  const dependents = dependentsOf(nodes);
  // A work list, not recursion: a chain of thousands of services must not exhaust the stack.
  const chosen = new Set<string>();
  const pending = [...targets];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (chosen.has(name)) continue;
    chosen.add(name);
    for (const dependent of dependents.get(name) ?? []) pending.push(dependent);
  }
  return nodes.map((node) => node.name).filter((name) => chosen.has(name));
}

/** The targets plus everything they depend on, directly or not (a start of some services). */
export function withDependencies(nodes: DependencyNode[], targets: string[]): string[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  // A work list, as withDependents: no recursion on a long chain.
  const chosen = new Set<string>();
  const pending = [...targets];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (chosen.has(name)) continue;
    chosen.add(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) pending.push(dependency);
  }
  return nodes.map((node) => node.name).filter((name) => chosen.has(name));
}

/**
 * Groups names by level, where a level is 1 + the highest level of the names it
 * waits for. Depth-first with its own stack, not recursion, so a `depends_on`
 * chain of any length is planned (the config has no cycles; should one slip
 * through, a name met again while open counts as level 0 there).
 */
function levels(names: string[], waitsFor: (name: string) => string[]): string[][] {
  const level = new Map<string, number>();
  const open = new Set<string>();
  for (const root of names) {
    const stack = [root];
    while (stack.length > 0) {
      const name = stack[stack.length - 1];
      if (level.has(name)) {
        stack.pop();
        continue;
      }
      const waiting = open.has(name) ? [] : waitsFor(name).filter((other) => !level.has(other) && !open.has(other));
      open.add(name);
      if (waiting.length > 0) {
        for (const other of waiting) stack.push(other);
        continue;
      }
      let own = 0;
      for (const other of waitsFor(name)) own = Math.max(own, (level.get(other) ?? -1) + 1);
      level.set(name, own);
      open.delete(name);
      stack.pop();
    }
  }
  const waves: string[][] = [];
  for (const name of names) (waves[level.get(name) ?? 0] ??= []).push(name);
  return waves.filter((wave) => wave !== undefined);
}

/** Start waves: a service starts once everything it depends on is ready. */
export function planStartWaves(nodes: DependencyNode[], names = nodes.map((node) => node.name)): string[][] {
  const chosen = new Set(names);
  const byName = new Map(nodes.map((node) => [node.name, node]));
  return levels(names, (name) => (byName.get(name)?.dependsOn ?? []).filter((dep) => chosen.has(dep)));
}

/** Stop waves: a service stops once everything depending on it (within the stop) has stopped. */
export function planStopWaves(nodes: DependencyNode[], names: string[], order: StopOrder): string[][] {
  if (order === 'none') return names.length ? [names] : [];
  const chosen = new Set(names);
  const dependents = dependentsOf(nodes);
  return levels(names, (name) => (dependents.get(name) ?? []).filter((dependent) => chosen.has(dependent)));
}

/**
 * The services of a stop that may be asked now: not asked yet, and every
 * dependent inside the stop already final. This is what makes a wave start the
 * moment its last dependent stops rather than when a whole wave ends.
 */
export function readyToStop(
  nodes: DependencyNode[],
  names: string[],
  order: StopOrder,
  asked: ReadonlySet<string>,
  finished: ReadonlySet<string>,
): string[] {
  if (order === 'none') return names.filter((name) => !asked.has(name));
  const chosen = new Set(names);
  const dependents = dependentsOf(nodes);
  return names.filter(
    (name) =>
      !asked.has(name) &&
      (dependents.get(name) ?? []).every((dependent) => !chosen.has(dependent) || finished.has(dependent)),
  );
}
