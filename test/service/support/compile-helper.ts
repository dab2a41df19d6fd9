/**
 * Fixtures are plain .mjs run by plain node, but the helper is TypeScript:
 * transpile src/service/*.ts (pure ESM, node: imports only) into a temp dir
 * once per test file and hand fixtures its URL in TIERDOWN_SERVICE_MODULE.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const sourceDir = resolve('src/service');

export interface CompiledHelper {
  /** file: URL of the compiled index.js. */
  moduleUrl: string;
  remove(): Promise<void>;
}

export async function compileServiceHelper(): Promise<CompiledHelper> {
  const outDir = await mkdtemp(join(tmpdir(), 'tierdown-service-'));
  // Without it, node would read the .js files as CommonJS.
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}\n');
  for (const name of await readdir(sourceDir)) {
    if (!name.endsWith('.ts')) continue;
    const source = await readFile(join(sourceDir, name), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: name,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true },
    });
    await writeFile(join(outDir, name.replace(/\.ts$/, '.js')), outputText);
  }
  return {
    moduleUrl: pathToFileURL(join(outDir, 'index.js')).href,
    remove: () => rm(outDir, { recursive: true, force: true }),
  };
}
