/**
 * Turning process signals into shutdown triggers. The listeners stay while
 * the shutdown runs, so a second SIGTERM (tierdown's next step after an
 * accepted POST) joins it instead of killing the process mid-hook.
 */

/** Listens for the signals; returns a function that removes the listeners. */
export function listenForSignals(signals: readonly NodeJS.Signals[], onSignal: (signal: NodeJS.Signals) => void): () => void {
  const listeners = signals.map((signal) => {
    const listener = (): void => onSignal(signal);
    process.on(signal, listener);
    return { signal, listener };
  });
  return () => {
    for (const { signal, listener } of listeners) process.off(signal, listener);
  };
}
