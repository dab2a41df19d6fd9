/**
 * Chooses how a run is shown: NDJSON with `--json`, live rows on a terminal,
 * otherwise plain lines (pipes, CI, NO_COLOR, TERM=dumb).
 * A view only subscribes; it never decides anything about the run.
 */
import type { Orchestrator } from '../../engine/orchestrator.js';
import { line, type CliIO } from '../io.js';
import { writeJsonEvent } from './json.js';
import { attachLiveView } from './live.js';
import { plainLine, printSummary } from './plain.js';
import { batchTurns } from './turn-batch.js';

/** What a view watches: the engine itself (`up`, `demo`) or a running `up` seen from `down`. */
export type ViewSource = Pick<Orchestrator, 'subscribe' | 'status'>;

/** Live rows only for a terminal that wants them (NO_COLOR: https://no-color.org). */
export function wantsLiveView(io: CliIO): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

export interface View {
  /** Prints a message that is not an engine event (hints, errors). */
  note(text: string): void;
  close(): void;
}

export function attachView(stack: ViewSource, io: CliIO, options: { json: boolean }): View {
  if (wantsLiveView(io)) return attachLiveView(stack, io);
  // Lines of one turn go out in one write (turn-batch.ts).
  const batch = batchTurns(io.stdout);
  const closing = (unsubscribe: () => void) => () => {
    unsubscribe();
    batch.close();
  };
  if (options.json) {
    const unsubscribe = stack.subscribe((event) => {
      batch.hold();
      writeJsonEvent(io.stdout, event);
    });
    return { note: (text) => line(io.stderr, text), close: closing(unsubscribe) };
  }
  const unsubscribe = stack.subscribe((event) => {
    batch.hold();
    if (event.type === 'report') return printSummary(io.stdout, event.report);
    const text = plainLine(event);
    if (text !== undefined) line(io.stdout, text);
  });
  return { note: (text) => line(io.stdout, text), close: closing(unsubscribe) };
}
