// `--grace` on a real stop (docs/containers.md): the fit shrinks every step's
// budget, the stop command's too, so each step still gets its turn inside the
// grace — a hung stop command does not eat the grace and leave only SIGKILL.
import { describe, expect, it } from '@jest/globals';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig, TEST_TIMING } from '../helpers/stack.js';

const owned = ownProcesses();

// A stop command that never ends: only its (fitted) stop.timeout moves the stop on.
const HANG = [process.execPath, '-e', `require('fs').appendFileSync(process.env.FIX_PID_FILE, process.pid + '\\n'); setInterval(() => {}, 1 << 30)`];

describe('--grace on a stop with a command step', () => {
  it('shrinks the stop command with the rest, so the service still gets its SIGTERM', async () => {
    const file = await fixtureConfig(
      owned.ledger,
      { svc: { tier: 'pg', timeouts: { exit: '5s', sigterm: '5s', kill: '2s' } } },
      { tiers: { pg: { steps: ['command', 'sigterm', 'forceKill'] } } },
    );
    Object.assign(file.services.svc, { stop: { command: HANG, timeout: '10s' } });
    // Planned 10 + 5 + 5 + 2 = 22 s; a 2 s grace leaves 1.8 s: every budget × 8%, the command 818 ms.
    const stack = createOrchestrator(resolveConfig(file, '<test>', owned.ledger.dir), { timing: TEST_TIMING, graceMs: 2000 });
    await stack.start();
    const report = await stack.shutdown();
    const [service] = report.services;
    expect(service.path).toEqual(['idle', 'stopCommand', 'sigterm', 'stopped']);
    expect(service.transitions.map((transition) => transition.reason)).toEqual(['SHUTDOWN', 'commandTimeout', 'PROCESS_EXITED']);
    expect(service.method).toBe('signal');
    expect(service.signal).toBe('SIGTERM');
    // The command's turn ended at its fitted budget, well before the point where whatever is left is forced.
    expect(service.transitions[1].atMs).toBeLessThan(1800);
    expect(service.detail).toMatch(/stop command: still running after 818 ms/);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
