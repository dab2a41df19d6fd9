// Fault: the engine itself is SIGKILLed mid-run. Nothing it started may live on
// — not the services, not their grandchildren in the group, not a grandchild
// that left for its own session: the run's watchdog sees the pipe from the
// engine close and kills them (src/actors/process/watchdog.ts), and removes the
// run's notify sockets' folder, which the engine can no longer remove.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readEnvVar } from '../../src/actors/process/proc-table.js';
import { startEngine, type EngineProcess } from '../helpers/engine-process.js';
import { processLedger } from '../helpers/processes.js';
import { fixtureConfig, type Ledger } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

let ledger: Ledger;
let engine: EngineProcess | undefined;
beforeEach(() => {
  ledger = processLedger();
});
afterEach(() => {
  engine?.kill();
  ledger.killAll();
});

describe('an engine killed with SIGKILL', () => {
  it('leaves no service, grandchild or escaped grandchild running, nor its notify folder', async () => {
    const config = await fixtureConfig(ledger, {
      grouped: { env: { FIX_CHILDREN: '2' } },
      escaped: { env: { FIX_ESCAPE: '1', FIX_SIGTERM: 'ignore', FIX_CHILD_SIGTERM: 'ignore' } },
      accepted: { tier: 'critical', env: { FIX_HTTP: 'accept-stay' } },
    });
    engine = startEngine(ledger.dir, config, 'start');
    await engine.message('ready');
    // 3 mains, 2 grandchildren in a group, 1 in its own session.
    await waitUntil(() => ledger.survivors().length === 6);
    // The run's notify sockets' folder (src/notify/hub.ts), which the engine can no longer remove.
    const socket = readEnvVar(ledger.survivors()[0], 'NOTIFY_SOCKET');
    expect(socket).toMatch(/tierdown-notify-/);
    const folder = path.dirname(socket!);
    expect(existsSync(folder)).toBe(true);

    engine.child.kill('SIGKILL');
    await engine.exited;

    await waitUntil(() => ledger.survivors().length === 0, 5000).catch(() => undefined);
    expect(ledger.survivors()).toEqual([]);
    // Removed by the watchdog after its sweep, sockets and all.
    await waitUntil(() => !existsSync(folder), 5000).catch(() => undefined);
    expect(existsSync(folder)).toBe(false);
  });
});
