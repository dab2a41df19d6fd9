/**
 * What the two supervisors (supervisord, pm2) share once their daemon is up:
 * wait until it reports `n` running pids, stop everything with one command of
 * theirs, and close the daemon if anything on the way fails.
 */
import { own } from '../ledger.js';
import { waitFor } from '../proc.js';
import type { CommandResult } from './command.js';
import type { Stack } from './types.js';

export interface SupervisedOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  n: number;
  /** The pids the supervisor reports as running now. */
  runningPids: () => Promise<number[]>;
  /** The supervisor's "stop all" command. */
  stopAll: () => Promise<CommandResult>;
  close: () => Promise<void>;
}

export async function supervisedStack(options: SupervisedOptions): Promise<Stack> {
  try {
    let pids: number[] = [];
    await waitFor(options.what, async () => {
      pids = await options.runningPids();
      own(...pids);
      return pids.length === options.n;
    }, 60_000, 200);
    return {
      mainPids: pids,
      stop: async () => {
        const result = await options.stopAll();
        const ok = result.code === 0;
        return { doneAt: performance.now(), ok, detail: ok ? undefined : (result.stderr || result.stdout).trim() };
      },
      close: options.close,
    };
  } catch (error) {
    await options.close();
    throw error;
  }
}
