/**
 * Chooses how a run is shown: NDJSON with `--json`, otherwise plain lines.
 * A view only subscribes; it never decides anything about the run.
 */
import type { Orchestrator } from '../../engine/orchestrator.js';
import { line, type CliIO } from '../io.js';
import { writeJsonEvent } from './json.js';
import { plainLine, printSummary } from './plain.js';

export interface View {
  /** Prints a message that is not an engine event (hints, errors). */
  note(text: string): void;
  close(): void;
}

export function attachView(stack: Orchestrator, io: CliIO, options: { json: boolean }): View {
  if (options.json) {
    const unsubscribe = stack.subscribe((event) => writeJsonEvent(io.stdout, event));
    return { note: (text) => line(io.stderr, text), close: unsubscribe };
  }
  const unsubscribe = stack.subscribe((event) => {
    if (event.type === 'report') return printSummary(io.stdout, event.report);
    const text = plainLine(event);
    if (text !== undefined) line(io.stdout, text);
  });
  return { note: (text) => line(io.stdout, text), close: unsubscribe };
}
