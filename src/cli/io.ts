/**
 * What a command may touch of the outside: its output streams, environment
 * and working folder, and process signals — passed in so tests can run the
 * commands in-process and the binary can run them for real.
 */
import type { Writable } from 'node:stream';
import { runFailed } from '../../machines/report.js';
import type { ShutdownReport } from '../../machines/types.js';

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

/**
 * The one exit-status rule of `up`, `down`, `stop` and `restart` (docs/cli.md#exit-status):
 * 1 when the stop failed or was rolled back, or a service is `crashed` at the end
 * (or, for `up`, the start failed); 0 otherwise. `down` exits as `up`'s Ctrl-C would.
 */
export function stopStatus(report: ShutdownReport, options: { startFailed?: boolean } = {}): number {
  return options.startFailed || runFailed(report) ? EXIT.failed : EXIT.ok;
}

export function line(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
