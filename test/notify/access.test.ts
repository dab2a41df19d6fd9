// Who may speak on a service's NOTIFY_SOCKET (docs/security.md#notify-sockets):
// its own user, even when that is not the engine's (`user:`), and nobody else.
// Real services under `user:`, real datagrams sent as another uid through setpriv.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../../src/config/index.js';
import { readEnvVar } from '../../src/actors/process/proc-table.js';
import { createOrchestrator, type Orchestrator } from '../../src/index.js';
import { ownProcesses } from '../helpers/owned.js';
import { TEST_TIMING } from '../helpers/stack.js';

const owned = ownProcesses();
const SERVICE = fileURLToPath(new URL('../fixtures/notify-service.mjs', import.meta.url));
const SEND = new URL('../../dist/src/notify/send.js', import.meta.url).href;
const root = process.getuid?.() === 0;
const NOBODY = 65534;

/** Sends READY=1 to `socket` as user `user` (setpriv); the sender's exit status and what it said. */
function sendReadyAs(user: string, socket: string) {
  const code = `import(${JSON.stringify(SEND)}).then((m) => m.sendNotification(${JSON.stringify(socket)}, { READY: 1 })).then(() => console.log('sent'), (e) => { console.error(e.message); process.exit(1); })`;
  const result = spawnSync('setpriv', [`--reuid=${user}`, `--regid=${user === 'nobody' ? 'nogroup' : user}`, '--clear-groups', '--', process.execPath, '-e', code], { encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function stackOf(services: Record<string, { user: string; env?: Record<string, string>; readyTimeout?: string }>): Orchestrator {
  // The ledger lives in a root-only temp folder: let the services' users append their pids.
  chmodSync(owned.ledger.dir, 0o777);
  chmodSync(owned.ledger.pidFile, 0o666);
  const entries = Object.entries(services).map(([name, spec]) => [
    name,
    {
      command: [process.execPath, SERVICE],
      env: { FIX_PID_FILE: owned.ledger.pidFile, ...spec.env },
      user: spec.user,
      ready: { notify: true, timeout: spec.readyTimeout ?? '10s' },
      timeouts: { sigterm: '1s', kill: '500ms' },
    },
  ]);
  const config = resolveConfig({ version: 1, services: Object.fromEntries(entries) }, '<test>', owned.ledger.dir);
  return createOrchestrator(config, { timing: TEST_TIMING });
}

describe('notify sockets', () => {
  (root ? it : it.skip)('a user: nobody service reaches its own socket: READY=1 makes it ready', async () => {
    const stack = stackOf({ worker: { user: 'nobody' } });
    await stack.start();
    const pid = stack.status()[0].pid as number;
    const socket = readEnvVar(pid, 'NOTIFY_SOCKET') as string;
    expect(statSync(socket)).toMatchObject({ uid: NOBODY });
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(stack.status()[0]).toMatchObject({ ready: true, busy: 'serving' });
    const report = await stack.shutdown();
    expect(report.services[0]).toMatchObject({ outcome: 'stopped' });
    expect(owned.ledger.survivors()).toEqual([]);
  }, 30_000);

  (root ? it : it.skip)("another user cannot send to a service's socket: READY=1 from the other service's user does not make it ready", async () => {
    // worker (nobody) is ready by itself; api (daemon) never says READY=1, so only a forged one could make it ready.
    const stack = stackOf({ worker: { user: 'nobody' }, api: { user: 'daemon', env: { READY_DELAY_MS: '100000' }, readyTimeout: '3s' } });
    const pids: Record<string, number> = {};
    stack.subscribe((event) => {
      if (event.type === 'spawned' && event.pid) pids[event.service] = event.pid;
    });
    const started = stack.start().then(
      () => 'ready',
      (error: Error) => error.message,
    );
    const socketOf = async (name: string) => {
      for (let tries = 0; tries < 500 && !pids[name]; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
      return readEnvVar(pids[name], 'NOTIFY_SOCKET') as string;
    };
    const [workerSocket, apiSocket] = [await socketOf('worker'), await socketOf('api')];
    // The sender works: as nobody it reaches nobody's own socket (the worker).
    expect(sendReadyAs('nobody', workerSocket)).toMatchObject({ status: 0, output: 'sent\n' });
    // As nobody (the worker's user) it cannot reach the api's: the kernel refuses before tierdown reads anything.
    const forged = sendReadyAs('nobody', apiSocket);
    expect(forged.status).toBe(1);
    expect(forged.output).toMatch(/EACCES|-13/);
    expect(await started).toMatch(/api.*not ready after 3000 ms \(waited for READY=1/);
    await stack.whenFinished();
    expect(owned.ledger.survivors()).toEqual([]);
  }, 30_000);
});
