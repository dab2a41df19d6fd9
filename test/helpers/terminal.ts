/**
 * Runs the real CLI on a pseudo-terminal (util-linux `script`), as a user at a
 * terminal sees it: live rows, colours. NO_COLOR is dropped from the
 * environment unless the test sets it.
 */
import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** Strips terminal control sequences, keeping the text a user would have seen scroll by. */
export const visible = (raw: string) => raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/**
 * `tierdown ARGS` on a `cols`×40 terminal; `output()` is everything it wrote so
 * far, `exited` its status. `onCleanup` gets the kill for a test that fails first.
 */
export function inTerminal(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; cols?: number; onCleanup: (cleanup: () => void) => void }) {
  const command = `stty cols ${options.cols ?? 120} rows 40; exec ${[BIN, ...args].map(quote).join(' ')}`;
  const { NO_COLOR: _ignored, ...inherited } = process.env;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env: { ...inherited, TERM: 'xterm-256color', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onCleanup(() => child.exitCode === null && child.kill('SIGKILL'));
  let raw = '';
  child.stdout.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  // 'close', not 'exit': at 'exit' the last of the output may still be in the pipe.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { output: () => raw, exited };
}
