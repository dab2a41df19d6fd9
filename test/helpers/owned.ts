/**
 * The per-test ownership every process-starting test file needs: a fresh
 * process ledger before each test, and after it — pass or fail — every
 * registered cleanup run and every process the test started killed.
 */
import { afterEach, beforeEach } from '@jest/globals';
import { processLedger, type Ledger } from './processes.js';

export interface Owned {
  /** This test's ledger (valid inside a test). */
  readonly ledger: Ledger;
  /** Runs after the test, before its processes are killed (stop CLIs, remove folders). */
  onCleanup(cleanup: () => void): void;
}

export function ownProcesses(): Owned {
  let ledger: Ledger | undefined;
  const cleanups: (() => void)[] = [];
  beforeEach(() => {
    ledger = processLedger();
  });
  afterEach(() => {
    cleanups.splice(0).forEach((cleanup) => cleanup());
    ledger?.killAll();
  });
  return {
    get ledger() {
      if (!ledger) throw new Error('ownProcesses().ledger is only valid inside a test');
      return ledger;
    },
    onCleanup: (cleanup) => {
      cleanups.push(cleanup);
    },
  };
}
