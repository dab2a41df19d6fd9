// The layers of the house (docs/how-it-works.md#layers), read from the code's
// own imports: machines ← actors ← engine ← cli / visualizer / graph. Every
// import of machines/, src/ and visualizer/ is parsed (TypeScript's parser, no
// type checking) and held against what its part may use.
//
// Type-only imports (`import type`, `export type`) may point anywhere: tsc
// erases them, so they load nothing, make no cycle at run time and pull no
// runtime into a cold path. The one that points up today is an actor typed
// with the engine's `Run` it is handed (src/actors/start-wave.ts).
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The parts, lowest first, and what each may import besides itself. A file
 * belongs to the part with the longest matching path.
 */
const PARTS = {
  // The statecharts: pure data and named hooks.
  machines: { paths: ['machines/'], may: [] },
  // What everything stands on before anything runs: the resolved config, the
  // plan the orchestrator gets, the grace fit, the check of service names, the shared vocabularies (protocol,
  // errors, events), text and file handling, and loading the optional sd_notify module.
  base: {
    paths: [
      'src/config/',
      'src/engine/plan.ts',
      'src/engine/grace.ts',
      'src/engine/report-plan.ts',
      'src/engine/service-names.ts',
      'src/protocol.ts',
      'src/errors.ts',
      'src/events.ts',
      'src/text/',
      'src/notify/dgram.ts',
      'src/files/',
    ],
    may: ['machines'],
  },
  // Charts drawn from the machines and a plan (base): `graph` and `validate` never load the runtime.
  graph: { paths: ['src/graph/'], may: ['machines', 'base'] },
  // The effects the machines name: processes, HTTP, sockets, files.
  actors: {
    paths: ['src/actors/', 'src/notify/', 'src/serve/', 'src/tls/', 'src/pid1/', 'src/service/', 'src/inspector/'],
    may: ['machines', 'base'],
  },
  // Machines provided with the actors and run.
  engine: { paths: ['src/engine/', 'src/health/'], may: ['machines', 'base', 'actors'] },
  visualizer: { paths: ['visualizer/'], may: ['machines', 'base', 'graph', 'actors', 'engine'] },
  cli: { paths: ['src/cli/'], may: ['machines', 'base', 'graph', 'actors', 'engine', 'visualizer'] },
  // The public API hands out everything.
  api: { paths: ['src/index.ts'], may: ['machines', 'base', 'graph', 'actors', 'engine', 'visualizer'] },
} as const satisfies Record<string, { paths: readonly string[]; may: readonly string[] }>;
type Part = keyof typeof PARTS;

/** Packages machines/ may import: XState, nothing with I/O (no node: modules, no other package). */
const MACHINE_PACKAGES = ['xstate'];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = `${dir}/${name}`;
    if (statSync(path.join(ROOT, relative)).isDirectory()) return name === 'public' ? [] : sourceFiles(relative);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative] : [];
  });
}

function partOf(file: string): Part | undefined {
  let found: { part: Part; length: number } | undefined;
  for (const [part, { paths }] of Object.entries(PARTS) as [Part, (typeof PARTS)[Part]][]) {
    for (const prefix of paths) {
      if (file.startsWith(prefix) && prefix.length > (found?.length ?? -1)) found = { part, length: prefix.length };
    }
  }
  return found?.part;
}

interface Import {
  from: string;
  specifier: string;
  /** The file it resolves to (relative to the repository), for a relative specifier. */
  to?: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const to = specifier.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).replace(/\.js$/, '.ts') : undefined;
    found.push({ from: file, specifier, to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      // `import { type A, type B }` is erased as a whole, like `import type { A, B }`.
      const allTypes = clause !== undefined && !clause.name && named !== undefined && named.length > 0 && named.every((element) => element.isTypeOnly);
      add(node.moduleSpecifier.text, Boolean(clause?.isTypeOnly) || allTypes);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const FILES = ['machines', 'src', 'visualizer'].flatMap(sourceFiles);
const IMPORTS = FILES.flatMap(importsOf);

describe('the layers', () => {
  it('place every source file in a part', () => {
    expect(FILES.filter((file) => partOf(file) === undefined)).toEqual([]);
  });

  it('resolve every relative import to a file of the repository', () => {
    const missing = IMPORTS.filter((entry) => entry.to !== undefined && !existsSync(path.join(ROOT, entry.to)));
    expect(missing.map((entry) => `${entry.from} -> ${entry.specifier}`)).toEqual([]);
  });

  it('never import a higher part at run time', () => {
    const upward = IMPORTS.filter((entry) => {
      if (entry.typeOnly || entry.to === undefined) return false;
      const [from, to] = [partOf(entry.from), partOf(entry.to)];
      if (from === undefined || to === undefined || from === to) return false;
      return !(PARTS[from].may as readonly string[]).includes(to);
    });
    expect(upward.map((entry) => `${entry.from} (${partOf(entry.from)}) -> ${entry.to} (${partOf(entry.to ?? '')})`)).toEqual([]);
  });

  it('keep machines/ pure: XState and other machines only, nothing with I/O', () => {
    const impure = IMPORTS.filter(
      (entry) => entry.from.startsWith('machines/') && (entry.to === undefined ? !MACHINE_PACKAGES.includes(entry.specifier) : !entry.to.startsWith('machines/')),
    );
    expect(impure.map((entry) => `${entry.from} -> ${entry.specifier}`)).toEqual([]);
  });

  it('can fail: an engine file importing the CLI, or a machine importing node:fs, is caught', () => {
    // The rule itself, on made-up imports, so a broken partOf or PARTS table cannot pass silently.
    expect(partOf('src/engine/orchestrator.ts')).toBe('engine');
    expect(partOf('src/engine/plan.ts')).toBe('base');
    expect((PARTS.engine.may as readonly string[]).includes(partOf('src/cli/up.ts') ?? '')).toBe(false);
    expect((PARTS.graph.may as readonly string[]).includes(partOf('src/engine/orchestrator.ts') ?? '')).toBe(false);
    expect(MACHINE_PACKAGES.includes('node:fs')).toBe(false);
    expect(IMPORTS.length).toBeGreaterThan(200);
  });
});
