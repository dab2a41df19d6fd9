/**
 * What every tool in the comparison looks like to the harness: start `n`
 * services, say their main pids, issue the stop, and clean up after itself.
 */
import type { Kind } from '../services.js';

export interface StopDone {
  /** performance.now() when the tool said it had finished (its command exited, its report came). */
  doneAt: number;
  ok: boolean;
  detail?: string;
  /** Whatever the tool reported, kept in the JSON (e.g. tierdown's report summary). */
  extra?: Record<string, unknown>;
}

export interface Stack {
  /** Main pid of every service, as the tool reports it. */
  mainPids: number[];
  /** The process that runs the engine, when there is one to measure (peak RSS). */
  enginePid?: number;
  /** Issues the stop at once; resolves when the tool says it is done. */
  stop(): Promise<StopDone>;
  /** Ends the tool's own processes (daemon, engine) and removes its files. */
  close(): Promise<void>;
}

export interface Runner {
  /** Key used in options, JSON and ratios: raw, api, cli, supervisord, pm2. */
  key: string;
  label: string;
  /** True for the supervisors tierdown is compared with. */
  peer: boolean;
  /** Largest N this tool is run with (pm2 stops one app at a time). */
  maxN?: number;
  /** Why it cannot run here (not installed…), or undefined. */
  unavailable(): Promise<string | undefined>;
  start(n: number, kind: Kind, workDir: string): Promise<Stack>;
}

/** The tool cannot run at all here (e.g. the CLI command is missing): skip it for the rest of the bench. */
export class RunnerUnavailable extends Error {
  override name = 'RunnerUnavailable';
}
