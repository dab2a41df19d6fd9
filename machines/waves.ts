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
  const chosen = new Set<string>();
  const visit = (name: string): void => {
    if (chosen.has(name)) return;
    chosen.add(name);
    for (const dependent of dependents.get(name) ?? []) visit(dependent);
  };
  targets.forEach(visit);
  return nodes.map((node) => node.name).filter((name) => chosen.has(name));
}

// Groups names by level, where a level is 1 + the highest level of the names it waits for.
function levels(names: string[], waitsFor: (name: string) => string[]): string[][] {
  const level = new Map<string, number>();
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const own = Math.max(-1, ...waitsFor(name).map(levelOf)) + 1;
    level.set(name, own);
    return own;
  };
  const waves: string[][] = [];
  for (const name of names) (waves[levelOf(name)] ??= []).push(name);
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
