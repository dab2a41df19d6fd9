/**
 * What a command may touch of the outside: its output streams, environment
 * and working folder, and process signals — passed in so tests can run the
 * commands in-process and the binary can run them for real.
 */
import type { Writable } from 'node:stream';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A command: argv after its name in, exit status out. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

/** Exit statuses (docs/cli.md); 3: no running stack for this config. */
export const EXIT = { ok: 0, failed: 1, badConfig: 2, notRunning: 3 } as const;

export function line(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
