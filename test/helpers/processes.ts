/**
 * Owns every process a test starts: fixtures append their pids to a file this
 * helper creates, and `killAll()` (called in afterEach) SIGKILLs whichever of
 * those are still alive — only pids whose environment carries that file name.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readEnvVar, readProc } from '../../src/actors/process/proc-table.js';

/** What a test owns: see processLedger. */
export type Ledger = ReturnType<typeof processLedger>;

export function processLedger() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-test-'));
  const pidFile = path.join(dir, 'pids');
  writeFileSync(pidFile, '');
  // After killAll() the file is gone: a second killAll() (a test that must kill before
  // its own cleanup, then the shared afterEach) finds nothing left to do.
  const pids = () =>
    (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  const ours = (pid: number) => readEnvVar(pid, 'FIX_PID_FILE') === pidFile;
  const alive = (pid: number) => {
    const entry = readProc(pid);
    return entry !== undefined && entry.state !== 'Z' && ours(pid);
  };
  return {
    dir,
    pidFile,
    pids,
    /** Pids this test started that are still running. */
    survivors: () => pids().filter(alive),
    killAll: () => {
      for (const pid of pids().filter(alive)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now, from below the ephemeral range (see ports.ts). */
export { quietPort as freePort } from './ports.js';
