// An engine too busy to hear an exit before its step's timer falls due
// (docs/how-it-works.md#timers): 1000 services signalled in one ~1 s turn once
// had their first sigterm timers fall due before a single exit was heard, and
// services that had exited on SIGTERM were reported as killed. Here the engine's
// thread is held, right after the signal, until the service has exited and the
// step's budget has run out: the exit must still win over the timeout.
import { describe, expect, it } from '@jest/globals';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { readProc } from '../../src/actors/process/proc-table.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig, TEST_TIMING, type FixtureService } from '../helpers/stack.js';

const owned = ownProcesses();

// Only to catch a hang: the hold gives up after this long, and the test then fails.
const HOLD_LIMIT_MS = 10_000;

// Exited and not yet reaped (the engine's own child stays a zombie until Node waits for it), or gone.
const exited = (pid: number) => {
  const entry = readProc(pid);
  return entry === undefined || entry.state === 'Z';
};

/**
 * Stops one service while holding the engine's thread from the signal sent on entering
 * `state` until the service has exited and `budgetMs` is over (the hold runs in a
 * microtask after the notice, so after the signal that follows it in the same turn).
 */
async function stopWhileHeld(service: FixtureService, state: 'sigterm' | 'forceKill', budgetMs: number) {
  // Ready once it answers /health: its signal handling is set up by then.
  const file = await fixtureConfig(owned.ledger, { svc: service });
  const stack = createOrchestrator(resolveConfig(file, '<test>', owned.ledger.dir), { timing: TEST_TIMING });
  await stack.start();
  const [{ pid }] = stack.status();
  const held = { exited: false, ms: 0 };
  stack.subscribe((event) => {
    if (event.type !== 'transition' || event.to !== state) return;
    const signalledAt = performance.now();
    queueMicrotask(() => {
      while (!exited(pid!) && performance.now() - signalledAt < HOLD_LIMIT_MS);
      held.exited = exited(pid!);
      while (performance.now() - signalledAt < budgetMs * 1.5);
      held.ms = performance.now() - signalledAt;
    });
  });
  const report = await stack.shutdown();
  expect(held.exited).toBe(true);
  expect(held.ms).toBeGreaterThan(budgetMs);
  expect(owned.ledger.survivors()).toEqual([]);
  return report.services[0];
}

describe('a timer that falls due while the engine is busy', () => {
  it('loses to the exit that came before it: a service that exited on SIGTERM is stopped by its signal, not killed', async () => {
    const service = await stopWhileHeld({ timeouts: { sigterm: '30ms', kill: '5s' } }, 'sigterm', 30);
    expect(service.path).toEqual(['idle', 'sigterm', 'stopped']);
    expect(service.method).toBe('signal');
    expect(service.transitions.at(-1)?.reason).toBe('PROCESS_EXITED');
  });

  it('loses after a SIGKILL too: a service that died of it is stopped, not "still alive after SIGKILL"', async () => {
    // The kill budget's floor (KILL_SETTLE_MS, machines/delays.ts) is 100 ms.
    const service = await stopWhileHeld({ env: { FIX_SIGTERM: 'ignore' }, timeouts: { sigterm: '30ms', kill: '100ms' } }, 'forceKill', 100);
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.outcome).toBe('stopped');
    expect(service.signal).toBe('SIGKILL');
  });
});
