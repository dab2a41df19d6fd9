/**
 * What each Ctrl-C means while `up` (or `demo`) runs (SPEC §6): the first asks
 * for the tiered shutdown, the second forces it, the third exits at once.
 */
export type SignalStep = 'shutdown' | 'force' | 'exit';

export interface SignalLadder {
  /** The step the next SIGINT/SIGTERM takes. */
  next(): SignalStep;
  /** Back to the bottom: after a rollback the stack runs again. */
  reset(): void;
}

export function createSignalLadder(): SignalLadder {
  const steps: SignalStep[] = ['shutdown', 'force', 'exit'];
  let received = 0;
  return {
    next: () => steps[Math.min(received++, steps.length - 1)],
    reset: () => {
      received = 0;
    },
  };
}
