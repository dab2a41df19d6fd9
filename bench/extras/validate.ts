/**
 * `./bin/tierdown validate -c FILE` cold start: a fresh Node process each
 * time, timed from spawn to exit, on a small stack with three waves.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TIERDOWN_BIN } from '../runners/cli.js';
import { serviceArgv } from '../services.js';

export interface ValidateRun {
  ms: number;
  code: number | null;
  output: string;
}

export function writeValidateConfig(workDir: string): string {
  const command = serviceArgv('cooperative');
  const file = join(workDir, 'validate.yaml');
  writeFileSync(
    file,
    stringify({
      version: 1,
      services: {
        database: { command, tier: 'simple' },
        backend: { command, port: 18001, tier: 'critical', depends_on: ['database'], timeouts: { exit: '8s' } },
        worker: { command, tier: 'simple', depends_on: ['database'] },
        frontend: { command, tier: 'simple', depends_on: ['backend'] },
      },
    }),
  );
  return file;
}

export function runValidate(file: string): Promise<ValidateRun> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const child = spawn(TIERDOWN_BIN, ['validate', '-c', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('close', (code) => resolve({ ms: performance.now() - startedAt, code, output }));
    child.once('error', (error) => resolve({ ms: performance.now() - startedAt, code: null, output: error.message }));
  });
}

/** `node -e 0`, spawned and timed the same way: the floor a Node CLI's cold start is judged against. */
export function runNodeBaseline(): Promise<ValidateRun> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    child.stdout.resume();
    child.stderr.resume();
    child.once('close', (code) => resolve({ ms: performance.now() - startedAt, code, output: '' }));
    child.once('error', (error) => resolve({ ms: performance.now() - startedAt, code: null, output: error.message }));
  });
}
