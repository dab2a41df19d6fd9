// Engine fault: the user keeps pressing Ctrl-C on `tierdown up` (the real CLI,
// built by npm test). The first SIGINT stops tiered, the second forces, the
// third exits at once — even while the forced stop is stuck on a process
// SIGKILL cannot end yet (frozen) — and in the end nothing it started runs.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { configDir, startCli } from '../helpers/cli.js';
import { createFreezer, freezerAvailable, type Freezer } from '../helpers/freezer.js';
import { quietPort } from '../helpers/ports.js';
import { processLedger } from '../helpers/processes.js';
import { FIXTURE, type Ledger } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

let ledger: Ledger;
let freezer: Freezer;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  ledger = processLedger();
  freezer = createFreezer('engine-signals');
});
afterEach(async () => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  ledger.killAll();
  await freezer.remove();
});

describe('Ctrl-C on tierdown up', () => {
  (freezerAvailable() ? it : it.skip)('stops tiered on the first, forces on the second, exits on the third', async () => {
    const port = await quietPort();
    const config = {
      version: 1,
      services: {
        stubborn: {
          command: [process.execPath, FIXTURE],
          env: { FIX_PID_FILE: ledger.pidFile, PORT: String(port), FIX_SIGTERM: 'ignore', FIX_ESCAPE: '1', FIX_CHILD_SIGTERM: 'ignore' },
          port,
          ready: { http: '/health' },
          timeouts: { sigterm: '60s', kill: '60s' },
        },
      },
    };
    const { dir, cleanup } = configDir(JSON.stringify(config), 'tierdown.json');
    cleanups.push(cleanup);
    const cli = startCli(['up'], { cwd: dir });
    cleanups.push(cli.kill);
    await cli.waitFor('services ready');
    await waitUntil(() => ledger.survivors().length === 2);
    const [main] = ledger.pids();

    cli.child.kill('SIGINT');
    await cli.waitFor('stubborn: idle → sigterm (SHUTDOWN)');
    // From here SIGKILL cannot end the main process: the forced stop will wait its 60 s budget.
    freezer.freeze(main);
    cli.child.kill('SIGINT');
    await cli.waitFor('stubborn: sigterm → forceKill (FORCE)');
    cli.child.kill('SIGINT');
    expect((await cli.exited).status).toBe(130);

    freezer.thawAll();
    await waitUntil(() => ledger.survivors().length === 0).catch(() => undefined);
    expect(ledger.survivors()).toEqual([]);
  });
});
