/**
 * Back-pressure from the terminal to the services: while the stream `up`
 * writes to (its stdout: a terminal, or a pipe to `less`, `grep` — or to a
 * reader that stopped reading) cannot take more, the services' pipes are not
 * read, so a chatty service blocks on its own write, as it would writing to
 * any full pipe, and the engine's memory stays bounded.
 */
import type { Writable } from 'node:stream';

export interface OutputGate {
  /** True while the sink's buffer is full. */
  blocked(): boolean;
  /** Calls `resume` once the sink has drained (or closed); at once if it is not blocked. */
  whenClear(resume: () => void): void;
}

/** A gate that never blocks (no sink to respect, e.g. the API without a terminal). */
export const OPEN_GATE: OutputGate = { blocked: () => false, whenClear: (resume) => resume() };

/** The gate of one writable sink. */
export function gateOf(sink: Writable): OutputGate {
  const waiting = new Set<() => void>();
  let listening = false;
  const blocked = () => !sink.destroyed && !sink.writableEnded && sink.writableNeedDrain;
  const release = () => {
    listening = false;
    sink.off('drain', release);
    sink.off('close', release);
    const resumes = [...waiting];
    waiting.clear();
    for (const resume of resumes) resume();
  };
  return {
    blocked,
    whenClear(resume) {
      if (!blocked()) return resume();
      waiting.add(resume);
      if (listening) return;
      // One pair of listeners for every paused source, however many services there are.
      listening = true;
      sink.on('drain', release);
      sink.on('close', release);
    },
  };
}
