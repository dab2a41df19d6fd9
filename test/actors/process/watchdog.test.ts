// The run's watchdog, with real processes: when the pipe from the engine closes
// without `release` it kills what carries the run's marker and the groups it was
// told about; once released it leaves and kills nothing.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readProc } from '../../../src/actors/process/proc-table.js';
import { MARKER_VARIABLE } from '../../../src/actors/process/spawn.js';
import { createWatchdog, WATCHDOG_FILE } from '../../../src/actors/process/watchdog.js';
import { FIXTURE } from '../../helpers/stack.js';
import { waitUntil } from '../../helpers/wait.js';
import { ownProcesses } from '../../helpers/owned.js';

const owned = ownProcesses();

const gone = (pid: number) => {
  const entry = readProc(pid);
  return entry === undefined || entry.state === 'Z';
};

/** A fixture process, optionally tagged with a run's marker and in its own session. */
async function fixture(marker: string | undefined, detached = false): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, FIX_PID_FILE: owned.ledger.pidFile, FIX_HTTP: 'none' };
  if (marker) env[MARKER_VARIABLE] = marker;
  const child = spawn(process.execPath, [FIXTURE], { env, detached, stdio: 'ignore' });
  child.unref();
  await waitUntil(() => owned.ledger.pids().includes(child.pid!));
  return child.pid!;
}

describe('watchdog', () => {
  it('kills the run’s processes, in the group or not, when the engine’s pipe closes', async () => {
    const runId = `watchdog-test-${process.pid}-a`;
    const inGroup = await fixture(`${runId}/api`);
    const ownSession = await fixture(`${runId}/api`, true);
    const otherRun = await fixture(`${runId}-other/api`);
    const untagged = await fixture(undefined);

    const watchdog = spawn(process.execPath, [WATCHDOG_FILE, runId, MARKER_VARIABLE], { stdio: ['pipe', 'ignore', 'ignore'] });
    watchdog.stdin!.write(`group ${inGroup} ${readProc(inGroup)!.startTime}\n`);
    // `ps` shows a name users recognise, not node and a file path.
    await waitUntil(() => readFileSync(`/proc/${watchdog.pid}/cmdline`, 'utf8').startsWith(`tierdown-watchdog ${runId}`));
    watchdog.stdin!.end();
    await new Promise((resolve) => watchdog.once('exit', resolve));

    expect(gone(inGroup)).toBe(true);
    expect(gone(ownSession)).toBe(true);
    expect(gone(otherRun)).toBe(false);
    expect(gone(untagged)).toBe(false);
  });

  it('leaves without killing anything once the run releases it', async () => {
    const runId = `watchdog-test-${process.pid}-b`;
    const watchdog = createWatchdog(runId, MARKER_VARIABLE);
    watchdog.arm();
    const service = await fixture(`${runId}/api`);
    watchdog.guard({ pid: service, startTime: readProc(service)!.startTime });
    watchdog.release();

    await waitUntil(() => gone(watchdog.pid!));
    expect(gone(service)).toBe(false);
  });
});
