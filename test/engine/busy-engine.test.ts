// An engine too busy to hear an exit before its step's timer falls due
// (docs/how-it-works.md#timers): 1000 services signalled in one ~1 s turn once
// had their first sigterm timers fall due before a single exit was heard, and
// services that had exited on SIGTERM were reported as killed. Here the engine's
// thread is held, right after the SIGTERM, until the service has exited and its
// budget has run out: the exit must still win over the timeout.
import { describe, expect, it } from '@jest/globals';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { readProc } from '../../src/actors/process/proc-table.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig, TEST_TIMING } from '../helpers/stack.js';

const owned = ownProcesses();

const SIGTERM_MS = 30;
// Only to catch a hang: the spin gives up after this long, and the test then fails.
const SPIN_LIMIT_MS = 10_000;

// Exited and not yet reaped (the engine's own child stays a zombie until Node waits for it), or gone.
const exited = (pid: number) => {
  const entry = readProc(pid);
  return entry === undefined || entry.state === 'Z';
};

describe('a timer that falls due while the engine is busy', () => {
  it('loses to the exit that came before it: the service is stopped by its signal, not killed', async () => {
    const file = await fixtureConfig(owned.ledger, { svc: { http: false, ready: false, timeouts: { sigterm: `${SIGTERM_MS}ms`, kill: '5s' } } });
    const stack = createOrchestrator(resolveConfig(file, '<test>', owned.ledger.dir), { timing: TEST_TIMING });
    await stack.start();
    const [{ pid }] = stack.status();
    let held = { exited: false, ms: 0 };
    stack.subscribe((event) => {
      if (event.type !== 'transition' || event.to !== 'sigterm') return;
      const signalledAt = performance.now();
      // After the SIGTERM that follows this notice in the same turn: the thread is held until the
      // service has exited and its budget is over, so both wait for the engine's next turn.
      queueMicrotask(() => {
        while (!exited(pid!) && performance.now() - signalledAt < SPIN_LIMIT_MS);
        held = { exited: exited(pid!), ms: 0 };
        while (performance.now() - signalledAt < SIGTERM_MS * 2);
        held.ms = performance.now() - signalledAt;
      });
    });
    const report = await stack.shutdown();
    expect(held.exited).toBe(true);
    expect(held.ms).toBeGreaterThanOrEqual(SIGTERM_MS);
    const [service] = report.services;
    expect(service.path).toEqual(['idle', 'sigterm', 'stopped']);
    expect(service.method).toBe('signal');
    expect(service.transitions.at(-1)?.reason).toBe('PROCESS_EXITED');
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
