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

/** What runCli's status is when its bound ran out (as timeout(1) says it). */
export const CLI_TIMED_OUT = 124;

/**
 * Runs `tierdown ARGS` to completion, bounded only to catch a hang: at load 16-19 a
 * `validate` of 0.2 s CPU took 20-100 s of wall. A run the bound ended has status
 * CLI_TIMED_OUT and says so on its stderr, never passing for an exit status of its own.
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    execFile(BIN, args, { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error?.killed) {
        resolve({ status: CLI_TIMED_OUT, stdout, stderr: `${stderr}[test: tierdown ${args.join(' ')} killed after ${timeoutMs} ms]\n` });
        return;
      }
      const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ status, stdout, stderr });
    });
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
  // Waiters read each piece of output as it arrives (and learn of the end): no polling,
  // and no search through all of stdout per piece (view prints 10 MB in small pieces).
  const waiters = new Set<(piece: string) => void>();
  const wake = (piece: string) => waiters.forEach((check) => check(piece));
  child.stdout?.on('data', (chunk: Buffer) => {
    const piece = chunk.toString();
    stdout += piece;
    wake(piece);
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': at 'exit' the last of the output may still be in the pipes.
  let closed = false;
  const exited = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr });
      wake('');
    });
  });
  const count = (text: string) => stdout.split(text).length - 1;
  /** Resolves once stdout contains `text` at least `times` times (bounded only to catch a hang: 15 s ran out at load 19). */
  const waitFor = (text: string, timeoutMs = 30_000, times = 1) =>
    new Promise<void>((resolve, reject) => {
      const never = () => new Error(`never printed ${JSON.stringify(text)}${times > 1 ? ` ${times} times` : ''}; stdout:\n${stdout}\nstderr:\n${stderr}`);
      const done = () => {
        waiters.delete(check);
        clearTimeout(timer);
      };
      // Occurrences counted as split() counts them (not overlapping); `rest` is what of the
      // output read so far could still begin one.
      let seen = 0;
      let rest = '';
      const check = (piece: string) => {
        const scanned = rest + piece;
        let end = 0;
        for (let at = scanned.indexOf(text); at !== -1 && seen < times; at = scanned.indexOf(text, end)) {
          seen += 1;
          end = at + text.length;
        }
        rest = scanned.slice(Math.max(end, scanned.length - text.length + 1));
        if (seen >= times) {
          done();
          resolve();
        } else if (closed) {
          done();
          reject(never());
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(never());
      }, timeoutMs);
      waiters.add(check);
      check(stdout);
    });
  return {
    child,
    exited,
    output: () => stdout,
    /** How many times stdout contains `text` so far. */
    count,
    waitFor,
    /** Resolves once stdout contains `text` `times` times: the n-th restart, the second stop. */
    waitForTimes: (text: string, times: number, timeoutMs = 30_000) => waitFor(text, timeoutMs, times),
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
