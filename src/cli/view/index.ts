/**
 * Chooses how a run is shown: NDJSON with `--json`, live rows on a terminal,
 * otherwise plain lines (pipes, CI, NO_COLOR, TERM=dumb) — with, while
 * services start, a line each time what one waits on changes (start-rows.ts).
 * A view only subscribes; it never decides anything about the run.
 */
import type { Orchestrator } from '../../engine/orchestrator.js';
import type { TierdownEvent } from '../../events.js';
import { line, type CliIO } from '../io.js';
import { wantsLiveView } from './colour.js';
import { writeJsonEvent } from './json.js';
import { attachLiveView } from './live.js';
import { plainLine, printSummary } from './plain.js';
import { START_EVENTS, startWaitLines } from './start-rows.js';
import { batchTurns } from './turn-batch.js';

/** What a view watches: the engine itself (`up`, `demo`) or a running `up` seen from `down`. */
export type ViewSource = Pick<Orchestrator, 'subscribe' | 'status'>;

export { wantsLiveView };

export interface View {
  /** Prints a message that is not an engine event (hints, errors). */
  note(text: string): void;
  close(): void;
}

export function attachView(stack: ViewSource, io: CliIO, options: { json: boolean }): View {
  // Lines of one turn go out in one write (turn-batch.ts); the live view draws its own.
  const batched = (listen: (event: TierdownEvent) => void) => {
    const batch = batchTurns(io.stdout);
    const unsubscribe = stack.subscribe((event) => {
      batch.hold();
      listen(event);
    });
    return () => {
      unsubscribe();
      batch.close();
    };
  };
  if (options.json) return { note: (text) => line(io.stderr, text), close: batched((event) => writeJsonEvent(io.stdout, event)) };
  if (wantsLiveView(io)) return attachLiveView(stack, io);
  const waits = startWaitLines();
  const close = batched((event) => {
    if (event.type === 'report') return printSummary(io.stdout, event.report);
    const text = plainLine(event);
    if (text !== undefined) line(io.stdout, text);
    // What each service on its way up waits on, a line each time it changes: an
    // event can change only its own service's row and its dependents' (1000
    // services' start events each reading every row was O(N²), seconds of `up`).
    if (START_EVENTS.has(event.type) && 'service' in event) for (const wait of waits(stack.status([event.service]))) line(io.stdout, wait);
  });
  return { note: (text) => line(io.stdout, text), close };
}
