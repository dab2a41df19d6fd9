/**
 * Dependency graphs for the orchestrator, generated from a seed: each graph is
 * a few components drawn from chains, diamonds, fans and lone services, so
 * waves meet every shape a stack has. The expected waves are computed here
 * from the graph alone (longest path to a service nobody depends on), not with
 * the engine's own planner.
 */

export interface GraphNode {
  name: string;
  dependsOn: string[];
}

export interface Graph {
  seed: number;
  shapes: string[];
  nodes: GraphNode[];
}

/** mulberry32: a small seeded PRNG, so a failing graph can be rebuilt from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Shape = (name: (index: number) => string, size: number) => GraphNode[];

const SHAPES: Record<string, Shape> = {
  chain: (name, size) => Array.from({ length: size }, (_, index) => ({ name: name(index), dependsOn: index ? [name(index - 1)] : [] })),
  diamond: (name) => [
    { name: name(0), dependsOn: [] },
    { name: name(1), dependsOn: [name(0)] },
    { name: name(2), dependsOn: [name(0)] },
    { name: name(3), dependsOn: [name(1), name(2)] },
  ],
  fan: (name, size) => Array.from({ length: size }, (_, index) => ({ name: name(index), dependsOn: index ? [name(0)] : [] })),
  lone: (name) => [{ name: name(0), dependsOn: [] }],
};

export function generateGraph(seed: number): Graph {
  const next = random(seed);
  const kinds = Object.keys(SHAPES);
  const components: GraphNode[][] = [];
  const shapes: string[] = [];
  for (let count = 2 + Math.floor(next() * 2); components.length < count; ) {
    const kind = kinds[Math.floor(next() * kinds.length)];
    const index = components.length;
    shapes.push(kind);
    components.push(SHAPES[kind]((member) => `${kind}${index}_${member}`, 2 + Math.floor(next() * 2)));
  }
  // Half the graphs join two components: a service of the last depends on the first's root (no cycle possible).
  if (next() < 0.5) {
    const last = components.at(-1)!;
    last[Math.floor(next() * last.length)].dependsOn.push(components[0][0].name);
    shapes.push('cross-link');
  }
  return { seed, shapes, nodes: components.flat() };
}

/** Stop waves: a service's wave is 1 + the highest wave of those depending on it. */
export function expectedStopWaves(graph: Graph, names = graph.nodes.map((node) => node.name)): string[][] {
  const chosen = new Set(names);
  const dependents = (name: string) => graph.nodes.filter((node) => chosen.has(node.name) && node.dependsOn.includes(name)).map((node) => node.name);
  const level = new Map<string, number>();
  const levelOf = (name: string): number => level.get(name) ?? (level.set(name, Math.max(-1, ...dependents(name).map(levelOf)) + 1), level.get(name)!);
  const waves: string[][] = [];
  for (const name of names) (waves[levelOf(name)] ??= []).push(name);
  return waves;
}

/** Everything `name` depends on, directly or not. */
export function dependenciesOf(graph: Graph, name: string): Set<string> {
  const found = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of graph.nodes.find((node) => node.name === current)?.dependsOn ?? []) {
      if (!found.has(dependency)) {
        found.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(name);
  return found;
}

/** Everything that depends on one of `names`, directly or not, plus `names`. */
export function withDependents(graph: Graph, names: string[]): string[] {
  const chosen = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of graph.nodes) {
      if (!chosen.has(node.name) && node.dependsOn.some((dependency) => chosen.has(dependency))) {
        chosen.add(node.name);
        grew = true;
      }
    }
  }
  return graph.nodes.map((node) => node.name).filter((name) => chosen.has(name));
}
