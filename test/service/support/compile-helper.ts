/**
 * Fixtures are plain .mjs run by plain node, but the helper is TypeScript:
 * transpile src/service/*.ts, the sd_notify sender it uses (src/notify/) and
 * the shared modules at the top of src/ into a temp dir once per test file and hand fixtures its URL in
 * TIERDOWN_SERVICE_MODULE. The dir sits inside the checkout so the sender's
 * `unix-dgram` resolves from node_modules.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

// The helper's folders, and src/ itself for the modules below it that both ends share (protocol.ts).
const SOURCE_DIRS = ['service', 'notify', '.'];

export interface CompiledHelper {
  /** file: URL of the compiled index.js. */
  moduleUrl: string;
  remove(): Promise<void>;
}

export async function compileServiceHelper(): Promise<CompiledHelper> {
  await mkdir(resolve('test-artifacts'), { recursive: true });
  const outDir = await mkdtemp(join(resolve('test-artifacts'), 'service-helper-'));
  // Without it, node would read the .js files as CommonJS.
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}\n');
  for (const dir of SOURCE_DIRS) {
    await mkdir(join(outDir, dir), { recursive: true });
    for (const name of await readdir(resolve('src', dir))) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const source = await readFile(resolve('src', dir, name), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        fileName: name,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true },
      });
      await writeFile(join(outDir, dir, name.replace(/\.ts$/, '.js')), outputText);
    }
  }
  return {
    moduleUrl: pathToFileURL(join(outDir, 'service', 'index.js')).href,
    remove: () => rm(outDir, { recursive: true, force: true }),
  };
}
