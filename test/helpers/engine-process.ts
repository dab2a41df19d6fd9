/**
 * Runs test/fixtures/engine-stack.mjs — the real engine as built in dist/, in
 * a process of its own — so a test can SIGKILL the engine or run it as another user.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = path.join(ROOT, 'test/fixtures/engine-stack.mjs');

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
  const argv = [process.execPath, SCRIPT, configFile, mode];
  const [file, ...args] = [...prefix, ...argv];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: process.env,
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
  // Its last lines may still be in the pipe at 'exit': only 'close' says nothing more comes.
  let closed = false;
  child.once('close', () => (closed = true));
  return {
    child,
    messages,
    stderr: () => stderr,
    message: async <T>(key: string, boundMs = 20_000) => {
      await waitUntil(() => messages.some((message) => key in message) || closed, boundMs).catch(() => undefined);
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
