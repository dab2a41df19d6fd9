/**
 * Runs test/fixtures/engine-stack.ts — the real engine, in a process of its
 * own — so a test can SIGKILL the engine or run it as another user. TypeScript
 * is loaded by ts-node's ESM loader (transpile only: types are npm test's job).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = path.join(ROOT, 'test/fixtures/engine-stack.ts');

export interface EngineProcess {
  child: ChildProcess;
  /** Parsed JSON lines printed so far. */
  messages: Record<string, unknown>[];
  stderr: () => string;
  /** The first message that has `key`, waiting for it (bounded, to catch hangs). */
  message: <T = unknown>(key: string, boundMs?: number) => Promise<T>;
  exited: Promise<number | null>;
  kill: () => void;
}

/**
 * Starts the engine on `config` (written to `dir`); `prefix` runs it through
 * another command first, e.g. setpriv to drop to user nobody.
 */
export function startEngine(dir: string, config: object, mode: 'start' | 'stop', prefix: string[] = []): EngineProcess {
  const configFile = path.join(dir, `engine-${Date.now()}-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o644 });
  const argv = [process.execPath, '--no-warnings', '--loader', 'ts-node/esm', SCRIPT, configFile, mode];
  const [file, ...args] = [...prefix, ...argv];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: Record<string, unknown>[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith('{')) messages.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    messages,
    stderr: () => stderr,
    message: async <T>(key: string, boundMs = 20_000) => {
      await waitUntil(() => messages.some((message) => key in message) || child.exitCode !== null, boundMs).catch(() => undefined);
      const found = messages.find((message) => key in message);
      if (!found) throw new Error(`the engine never printed ${key}; stderr:\n${stderr}`);
      return found[key] as T;
    },
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
