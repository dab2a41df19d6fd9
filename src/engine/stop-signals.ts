/**
 * SIGINT and SIGTERM while a stack runs (docs/cli.md): each is a `SIGNAL` for
 * the orchestrator statechart, which decides what it means now — the first asks
 * for the tiered stop, the next forces it, the one after asks to exit at once,
 * and after a refused stop the stack runs again and the ladder starts over.
 * This only listens, tells the user, and exits when the chart says so.
 */
import type { SignalStep } from '../../machines/orchestrator.js';

/** What a stop-signal handler needs of the engine. */
export interface Signallable {
  /** Hands a signal to the statechart; the step it took (undefined: the run is over). */
  signal(signal: NodeJS.Signals): SignalStep | undefined;
}

export interface StopSignals {
  /** True once any stop signal arrived. */
  readonly received: boolean;
  /** Stops listening. */
  dispose(): void;
}

const SAYS: Record<SignalStep, (signal: string) => string> = {
  shutdown: (signal) => `${signal}: shutting down tiered — Ctrl-C again to force`,
  force: () => 'forcing: SIGKILL to everything still running — Ctrl-C again to exit at once',
  exit: () => 'exiting at once',
};

/** Listens for SIGINT/SIGTERM and hands each to `stack`, telling the user what it did. */
export function handleStopSignals(stack: Signallable, note: (text: string) => void): StopSignals {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    received = true;
    const step = stack.signal(signal) ?? 'exit';
    note(SAYS[step](signal));
    // 130: killed by SIGINT, as a shell reports it.
    if (step === 'exit') process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get received() {
      return received;
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
