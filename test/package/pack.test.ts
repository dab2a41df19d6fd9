// The package as a user gets it: `npm pack`, installed into a fresh project
// (dependencies from the npm cache), runs `npx tierdown --version`, and both
// entry points import at run time and type-check with their declarations.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

jest.setTimeout(300_000);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
let work: string;
let project: string;
let files: string[];

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'tierdown-pack-'));
  // dist/ is built by `npm test` before jest runs; --ignore-scripts skips building it again.
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as { filename: string; files: { path: string }[] }[];
  files = packed[0].files.map((file) => file.path);
  project = path.join(work, 'project');
  run('mkdir', ['-p', project], work);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-tierdown', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--no-package-lock', path.join(work, packed[0].filename)], project);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('holds what a user needs, and no benchmarks or build state', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'bin/tierdown', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/service/index.js', 'tierdown.schema.json', 'docs/config.md', 'examples/medivote/tierdown.yaml']));
    // The cold-start bundle, its code cache and what bin/tierdown loads them with.
    expect(files).toEqual(expect.arrayContaining(['bin/package.json', 'bin/code-cache.cjs', 'dist/src/cli/cold.cjs', 'dist/src/cli/cold.cjs.cache', 'dist/src/cli/cold-commands.cjs']));
    expect(files.filter((file) => file.startsWith('dist/bench') || file.includes('tsbuildinfo') || file.startsWith('test/'))).toEqual([]);
  });

  it('runs as npx tierdown', () => {
    expect(run('npx', ['--no-install', 'tierdown', '--version'], project).trim()).toBe(version);
  });

  it('validates a config as npx tierdown validate, from the cold-start bundle', () => {
    const config = path.join(project, 'node_modules/tierdown/examples/medivote/tierdown.yaml');
    expect(run('npx', ['--no-install', 'tierdown', 'validate', '-c', config], project)).toContain(`${config}: valid — 6 services`);
  });

  it('imports both entry points at run time', () => {
    const script = "const a = await import('tierdown'); const b = await import('tierdown/service'); console.log(typeof a.createOrchestrator, typeof b.createShutdownHandler);";
    expect(run(process.execPath, ['--input-type=module', '-e', script], project).trim()).toBe('function function');
  });

  it('type-checks a program using both entry points', () => {
    writeFileSync(
      path.join(project, 'main.ts'),
      [
        "import { createOrchestrator, loadConfig } from 'tierdown';",
        "import { createShutdownHandler } from 'tierdown/service';",
        "export const start = async () => createOrchestrator(await loadConfig('tierdown.yaml')).start();",
        'export const handler: typeof createShutdownHandler = createShutdownHandler;',
      ].join('\n'),
    );
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), 'main.ts'];
    expect(() => run(process.execPath, [tsc, ...args], project)).not.toThrow();
  });
});
