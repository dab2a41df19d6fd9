/**
 * Every command's cold start: `./bin/tierdown <command> -c FILE …` in a fresh
 * Node process each time, timed from spawn to exit, interleaved with `node -e 0`
 * spawned the same way (the targets are ratios to it). With no stack running,
 * the commands that talk to one (ps, down, logs, restart, stop, exec) load the
 * config, find nothing listening on the run's control socket and exit 3 — the
 * whole start-up a user pays before a running stack answers.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TIERDOWN_BIN } from '../runners/cli.js';
import { serviceArgv } from '../services.js';

export interface CommandRun {
  ms: number;
  code: number | null;
  output: string;
}

/** A command line of the cold-start rows, and the exit statuses that mean it ran as meant. */
export interface ColdCommand {
  name: string;
  argv: (file: string) => string[];
  expect: number[];
}

const NOTHING_RUNS = [3];
export const COLD_START_COMMANDS: ColdCommand[] = [
  { name: 'validate', argv: (file) => ['validate', '-c', file], expect: [0] },
  { name: 'config', argv: (file) => ['config', '-c', file], expect: [0] },
  { name: 'ps', argv: (file) => ['ps', '-c', file], expect: NOTHING_RUNS },
  { name: 'down', argv: (file) => ['down', '-c', file], expect: NOTHING_RUNS },
  { name: 'logs', argv: (file) => ['logs', '-c', file], expect: NOTHING_RUNS },
  { name: 'restart', argv: (file) => ['restart', '-c', file, 'backend'], expect: NOTHING_RUNS },
  { name: 'stop', argv: (file) => ['stop', '-c', file, 'backend'], expect: NOTHING_RUNS },
  { name: 'exec', argv: (file) => ['exec', '-c', file, 'backend', 'true'], expect: NOTHING_RUNS },
];

/** A small stack with three waves, in `workDir`. */
export function writeColdStartConfig(workDir: string): string {
  const command = serviceArgv('cooperative');
  const file = join(workDir, 'cold-start.yaml');
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

function timed(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandRun> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env, timeout: 30_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('close', (code) => resolve({ ms: performance.now() - startedAt, code, output }));
    child.once('error', (error) => resolve({ ms: performance.now() - startedAt, code: null, output: error.message }));
  });
}

export function runCommand(args: string[]): Promise<CommandRun> {
  return timed(TIERDOWN_BIN, args, { ...process.env, NO_COLOR: '1' });
}

/** `node -e 0`, spawned and timed the same way: the floor a Node CLI's cold start is judged against. */
export function runNodeBaseline(): Promise<CommandRun> {
  return timed(process.execPath, ['-e', '0']);
}
