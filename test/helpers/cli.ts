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
        if (error?.killed) {
          // The bound ran out: say so, instead of passing the kill off as the CLI's own status 1.
          const bound = options.timeoutMs ?? 20_000;
          resolve({ status: 124, stdout, stderr: `${stderr}\n[runCli: tierdown ${args.join(' ')} still running after ${bound} ms; killed]` });
          return;
        }
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
  // 'close', not 'exit': at 'exit' the last of the output may still be in the pipes.
  let closed = false;
  const exited = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
  const count = (text: string) => stdout.split(text).length - 1;
  /** Resolves once stdout contains `text` at least `times` times (bounded, to catch hangs). */
  const waitFor = async (text: string, timeoutMs = 15_000, times = 1) => {
    const giveUp = performance.now() + timeoutMs;
    while (count(text) < times) {
      if (performance.now() > giveUp || closed) {
        throw new Error(`never printed ${JSON.stringify(text)}${times > 1 ? ` ${times} times` : ''}; stdout:\n${stdout}\nstderr:\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return {
    child,
    exited,
    output: () => stdout,
    /** How many times stdout contains `text` so far. */
    count,
    waitFor,
    /** Resolves once stdout contains `text` `times` times: the n-th restart, the second stop. */
    waitForTimes: (text: string, times: number, timeoutMs = 15_000) => waitFor(text, timeoutMs, times),
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
