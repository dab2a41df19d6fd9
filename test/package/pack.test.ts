// The package as a user gets it: `npm pack`, installed into a fresh project
// (dependencies from the npm cache) on a machine without a working C compiler
// (CC and CXX are /bin/false: the native parts fail to build, as they would with
// none), runs `npx tierdown --version`, validates, runs and stops a stack, and
// both entry points import at run time and type-check with their declarations.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownProcesses } from '../helpers/owned.js';
import { waitUntil } from '../helpers/wait.js';

jest.setTimeout(300_000);
const owned = ownProcesses();

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
let work: string;
let project: string;
let files: string[];

const NO_COMPILER = { CC: '/bin/false', CXX: '/bin/false' };
const ENV = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...NO_COMPILER };
const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, encoding: 'utf8', env: ENV });
const installed = (file: string) => path.join(project, 'node_modules', file);

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
  it('ships compiled code only: no TypeScript source but declarations', () => {
    expect(files.filter((file) => /\.[mc]?ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => /^(src|machines|visualizer\/(?!public\/))/.test(file))).toEqual([]);
    // What runs from outside dist/: the page's static files, the addon's source, the examples.
    expect(files).toEqual(expect.arrayContaining(['visualizer/public/index.html', 'dist/visualizer/server.js', 'binding.gyp', 'native/reap.c']));
  });

  it('installs without a C compiler: the native parts are left out, not the install', () => {
    expect(existsSync(installed('tierdown/build/Release/tierdown_reap.node'))).toBe(false);
    expect(existsSync(installed('unix-dgram'))).toBe(false);
  });

  it('holds what a user needs, and no benchmarks or build state', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'bin/tierdown', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/service/index.js', 'tierdown.schema.json', 'docs/config.md', 'examples/medivote/tierdown.yaml']));
    // The cold-start bundles, their code caches and what bin/tierdown loads them with.
    expect(files).toEqual(expect.arrayContaining(['bin/package.json', 'bin/code-cache.cjs', 'dist/src/cli/cold.cjs', 'dist/src/cli/cold.cjs.cache', 'dist/src/cli/cold-stack.cjs', 'dist/src/cli/cold-stack.cjs.cache', 'dist/src/cli/cold-graph.cjs', 'dist/src/cli/cold-graph.cjs.cache', 'dist/src/cli/cold-commands.cjs']));
    expect(files.filter((file) => file.startsWith('dist/bench') || file.includes('tsbuildinfo') || file.startsWith('test/'))).toEqual([]);
  });

  it('runs as npx tierdown', () => {
    expect(run('npx', ['--no-install', 'tierdown', '--version'], project).trim()).toBe(version);
  });

  it('validates a config as npx tierdown validate, from the cold-start bundle', () => {
    const config = path.join(project, 'node_modules/tierdown/examples/medivote/tierdown.yaml');
    expect(run('npx', ['--no-install', 'tierdown', 'validate', '-c', config], project)).toContain(`${config}: valid — 6 services`);
  });

  it('runs and stops a stack without the native parts', async () => {
    const stack = path.join(work, 'stack.yaml');
    const service = `require('fs').appendFileSync(${JSON.stringify(owned.ledger.pidFile)}, process.pid + '\\n'); setInterval(() => {}, 1000)`;
    writeFileSync(stack, `version: 1\nservices:\n  app:\n    command: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(service)}]\n    env: { FIX_PID_FILE: ${JSON.stringify(owned.ledger.pidFile)} }\n`);
    const up = spawn(installed('.bin/tierdown'), ['up', '-c', stack], { cwd: project, env: { ...ENV, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    owned.onCleanup(() => up.kill('SIGKILL'));
    let output = '';
    up.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    up.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));
    await waitUntil(() => output.includes('services ready'), 30_000, 20);
    // ps runs from the cold-start bundle and asks the running up (the full CLI) over its control socket.
    const ps = spawnSync(installed('.bin/tierdown'), ['ps', '-c', stack], { cwd: project, encoding: 'utf8', env: { ...ENV, NO_COLOR: '1' } });
    expect({ status: ps.status, stderr: ps.stderr }).toEqual({ status: 0, stderr: '' });
    expect(ps.stdout).toMatch(/^app\b.*\brunning\b/m);
    up.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/app: sigterm → stopped/);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('refuses, with the reason, a service that would wait for READY=1 without sd_notify', () => {
    const stack = path.join(work, 'notify.yaml');
    writeFileSync(stack, 'version: 1\nservices:\n  app: { command: [sleep, "1"], ready: { notify: true } }\n');
    const result = spawnSync(installed('.bin/tierdown'), ['validate', '-c', stack], { cwd: project, encoding: 'utf8', env: ENV });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('services.app.ready.notify: sd_notify needs the optional module unix-dgram, and it is not installed');
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
