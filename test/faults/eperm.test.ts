// Fault: kill() answers EPERM. The engine runs as user `nobody` (setpriv) and
// stops a service whose processes belong to root: the service's command goes
// through a setuid-root copy of setpriv that becomes root for good
// (setresuid 0,0,0), which is what a service that switches user does. Every
// signal the engine sends then fails with EPERM. The service must end `failed`
// with the errors reported as events — the engine must not crash or hang.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ShutdownReport } from '../../src/index.js';
import { startEngine, type EngineProcess } from '../helpers/engine-process.js';
import { freePort, processLedger } from '../helpers/processes.js';
import { FIXTURE, FAST, type Ledger } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const NOBODY = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'];
const NOGROUP_GID = 65534;

let ledger: Ledger;
let engine: EngineProcess | undefined;
let shared: string;
beforeEach(() => {
  ledger = processLedger();
  // nobody must read the config and run the setuid copy; the ledger stays root's.
  shared = mkdtempSync(path.join(tmpdir(), 'tierdown-eperm-'));
  chmodSync(shared, 0o755);
});
afterEach(() => {
  engine?.kill();
  ledger.killAll();
  rmSync(shared, { recursive: true, force: true });
});

/** setpriv, setuid root, executable only by group nogroup, for the length of one test. */
function rootSwitch(): string {
  const file = path.join(shared, 'become-root');
  copyFileSync('/usr/bin/setpriv', file);
  chownSync(file, 0, NOGROUP_GID);
  chmodSync(file, 0o4750);
  return file;
}

describe('EPERM on kill', () => {
  it('reports the service failed, with the errors, instead of crashing', async () => {
    const port = await freePort();
    const config = {
      version: 1,
      defaults: { timeouts: { ...FAST, sigterm: '100ms', kill: '100ms' } },
      services: {
        owned_by_root: {
          command: [rootSwitch(), '--reuid=0', '--regid=0', '--clear-groups', '--', process.execPath, FIXTURE],
          env: { FIX_PID_FILE: ledger.pidFile, PORT: String(port) },
          port,
          // /health answers only once node runs, i.e. after the switch to root.
          ready: { http: '/health' },
        },
      },
    };
    engine = startEngine(shared, config, 'stop', NOBODY);
    const pids = await engine.message<Record<string, number>>('pids');
    const report = await engine.message<ShutdownReport>('report');

    expect(await engine.exited).toBe(0);
    expect(report.outcome).toBe('failed');
    const [service] = report.services;
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'failed']);
    expect(service.method).toBe('none');
    expect(service.detail).toBe('still alive after SIGKILL');
    const errors = engine.messages.flatMap((message) => (message.signalError ? [(message.signalError as { message: string }).message] : []));
    expect(errors).toEqual(expect.arrayContaining([`kill(-${pids.owned_by_root}, SIGTERM): EPERM`, `kill(-${pids.owned_by_root}, SIGKILL): EPERM`]));
    // Still alive, as reported; root (this test) now stops it.
    expect(ledger.survivors()).toEqual([pids.owned_by_root]);
    process.kill(pids.owned_by_root, 'SIGKILL');
    await waitUntil(() => ledger.survivors().length === 0);
  });
});
