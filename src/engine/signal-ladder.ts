/**
 * What each Ctrl-C means while `up` (or `demo`) runs (docs/cli.md): the first asks
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

/** What a stop-signal handler needs of the engine. */
export interface Stoppable {
  shutdown(): Promise<unknown>;
  force(): void;
  /** True once the run is over. */
  readonly finished: boolean;
}

export interface StopSignals {
  /** Back to the bottom of the ladder (after a rollback). */
  reset(): void;
  /** True once any stop signal arrived. */
  readonly received: boolean;
  /** Stops listening. */
  dispose(): void;
}

/** Listens for SIGINT/SIGTERM and climbs the ladder on `stack`, telling the user each step. */
export function handleStopSignals(stack: Stoppable, note: (text: string) => void): StopSignals {
  const ladder = createSignalLadder();
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    received = true;
    const step = ladder.next();
    if (step === 'shutdown') {
      note(`${signal}: shutting down tiered — Ctrl-C again to force`);
      // A stop that ends with the stack still running was refused and rolled back: start over.
      void stack.shutdown().then(() => {
        if (!stack.finished) ladder.reset();
      });
    } else if (step === 'force') {
      note('forcing: SIGKILL to everything still running — Ctrl-C again to exit at once');
      stack.force();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    reset: () => ladder.reset(),
    get received() {
      return received;
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
