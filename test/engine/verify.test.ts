// `verified: false` always says what is left (docs/report.md): a port another
// process holds after the stop is named, with its holder and its program.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { ownProcesses } from '../helpers/owned.js';
import { freePort } from '../helpers/processes.js';
import { FAST, FIXTURE, TEST_TIMING } from '../helpers/stack.js';

const owned = ownProcesses();

describe('verification', () => {
  it('names the port and the process that holds it when the port still answers after the stop', async () => {
    // The service says it uses `port`, but this test holds it: after the stop something still answers there.
    const port = await freePort();
    const holder = createServer().listen(port, '127.0.0.1');
    owned.onCleanup(() => void holder.close());
    await new Promise((resolve) => holder.once('listening', resolve));
    const config = resolveConfig(
      {
        version: 1,
        defaults: { timeouts: FAST },
        services: { svc: { command: [process.execPath, FIXTURE], env: { FIX_PID_FILE: owned.ledger.pidFile }, port, tier: 'simple' } },
      },
      '<test>',
      owned.ledger.dir,
    );
    const stack = createOrchestrator(config, { timing: TEST_TIMING });
    await stack.start();
    const [service] = (await stack.shutdown()).services;
    expect(service).toMatchObject({ outcome: 'stopped', verified: false });
    const program = readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();
    expect(service.detail).toBe(`port ${port} held by pid ${process.pid} (${program})`);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
