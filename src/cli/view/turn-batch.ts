/**
 * The lines a view writes in one turn of the event loop leave as one write.
 * A 1000-service stop prints a few thousand lines, most of them in bursts (a
 * sweep sees hundreds of exits at once); one write(2) each cost ~0.85 s of
 * the CLI's 5 s stop (issue 22, a CPU profile of `up` stopping 1000 services
 * into a pipe). Corking the stream itself, not holding text aside, keeps every
 * other write to it (the summary, a command's own lines) in order.
 */
import type { Writable } from 'node:stream';

export interface TurnBatch {
  /** Call before writing: the stream stays corked until the end of this turn. */
  hold(): void;
  /** Writes out what is held, now (the view closes). */
  close(): void;
}

export function batchTurns(stream: Writable): TurnBatch {
  let held = false;
  const release = () => {
    if (!held) return;
    held = false;
    stream.uncork();
  };
  // An exit straight from a handler (a third Ctrl-C) still gets what was printed before it.
  process.once('exit', release);
  return {
    hold() {
      if (held) return;
      held = true;
      stream.cork();
      setImmediate(release);
    },
    close() {
      process.off('exit', release);
      release();
    },
  };
}
