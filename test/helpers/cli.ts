/**
 * Runs the real CLI (`bin/tierdown`, built into dist/ by `npm test`) as a child
 * process, so tests see exactly what a user sees: output and exit status.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/tierdown', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `tierdown ARGS` to completion (bounded generously to catch hangs). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      BIN,
      args,
      { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, timeout: options.timeoutMs ?? 20_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

/** Starts `tierdown ARGS` in the background (e.g. `up`); the caller signals and awaits it. */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child: ChildProcess = spawn(BIN, args, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<CliResult>((resolve) => {
    child.on('exit', (code, signal) => resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
  return {
    child,
    exited,
    output: () => stdout,
    /** Resolves once stdout contains `text` (bounded, to catch hangs). */
    waitFor: async (text: string, timeoutMs = 15_000) => {
      const giveUp = Date.now() + timeoutMs;
      while (!stdout.includes(text)) {
        if (Date.now() > giveUp || child.exitCode !== null) throw new Error(`never printed ${JSON.stringify(text)}; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** A temp folder holding one config file; `cleanup()` removes it. */
export function configDir(text: string, name = 'tierdown.yaml') {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-cli-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
