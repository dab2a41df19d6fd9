/**
 * The live view (a TTY without NO_COLOR): while a stop runs, one row per
 * service redrawn in place by log-update — state, method, elapsed time and
 * what it waits on, with a spinner — while logs and notes scroll above it.
 * While services start (or restart), the same for the start: each one's
 * state, time and what it waits on (start-rows.ts). Between the two, and for
 * the closing summary, it prints plain lines.
 */
import { createLogUpdate } from 'log-update';
import type { TierdownEvent } from '../../events.js';
import { line, type CliIO } from '../io.js';
import { paint } from './colour.js';
import { applyTransition, newRow, renderRows, type LiveRow } from './live-rows.js';
import { exitedLine, plainLine, summaryLines } from './plain.js';
import { renderStartRows, START_EVENTS, startUnderWay } from './start-rows.js';
import type { View, ViewSource } from './index.js';

/** Redraws per second: enough for a smooth spinner, cheap on /proc reads. */
const TICK_MS = 100;

interface Frame {
  rows: LiveRow[];
  startedAt: number;
}

function colourRow(text: string): string {
  if (text.startsWith('✔')) return paint('green', '✔') + text.slice(1);
  if (text.startsWith('✖')) return paint('red', text);
  // Ended by SIGKILL: not a clean stop, not green.
  if (text.startsWith('!')) return paint('yellow', text);
  if (text.startsWith('·')) return paint('dim', text);
  return paint('yellow', text.slice(0, 1)) + text.slice(1);
}

export function attachLiveView(source: ViewSource, io: CliIO): View {
  // A pty can report 0×0 (e.g. under `script` without a terminal): fall back to 80×24.
  const target = {
    isTTY: true,
    get columns() {
      return io.stdout.columns || 80;
    },
    get rows() {
      return (io.stdout as { rows?: number }).rows || 24;
    },
    write: (chunk: string) => io.stdout.write(chunk),
  };
  const log = createLogUpdate(target as unknown as NodeJS.WritableStream);
  let frame: Frame | undefined;
  let tick = 0;
  let ticker: NodeJS.Timeout | undefined;

  // While services come up and no stop runs: the start's rows, from the status alone.
  let starting = false;
  // How long each took to be ready, for its row (the status keeps when it started, not when it was ready).
  const readyIn = new Map<string, number>();
  const draw = (lines: string[]) => log([paint('bold', lines[0]), ...lines.slice(1).map(colourRow)].join('\n'));
  const tickEvery = () => {
    clearInterval(ticker);
    ticker = setInterval(() => {
      tick += 1;
      render();
    }, TICK_MS);
  };
  const clearFrame = () => {
    clearInterval(ticker);
    ticker = undefined;
    log.clear();
    // Gives the cursor back (log-update hid it while drawing).
    log.done();
  };
  const endStart = () => {
    if (!starting) return;
    starting = false;
    clearFrame();
  };
  const render = () => {
    if (frame) return draw(renderRows(frame.rows, source.status(), performance.now() - frame.startedAt, tick, target.columns - 1));
    if (!starting) return;
    const status = source.status();
    // Every service up (or ended): the start is over, its rows go.
    if (!startUnderWay(status)) return endStart();
    draw(renderStartRows(status, Date.now(), tick, target.columns - 1, readyIn));
  };
  const beginStart = () => {
    if (starting || frame) return;
    starting = true;
    tickEvery();
    render();
  };
  const start = (names: string[]) => {
    endStart();
    const tiers = new Map(source.status().map((entry) => [entry.name, entry.tier]));
    frame = { rows: names.map((name) => newRow(name, tiers.get(name))), startedAt: performance.now() };
    tickEvery();
    render();
  };
  const end = () => {
    endStart();
    if (!frame) return clearInterval(ticker);
    clearFrame();
    frame = undefined;
  };
  // Above the rows while a start or a stop runs, a plain line otherwise.
  const print = (text: string) => {
    if (!frame && !starting) return line(io.stdout, text);
    log.persist(text);
    render();
  };
  // A service on its way up (a start, a restart) brings the start's rows, outside a stop.
  const followStart = (event: TierdownEvent) => {
    if (frame || !START_EVENTS.has(event.type)) return;
    const status = source.status();
    if (event.type === 'ready') {
      const startedAt = status.find((entry) => entry.name === event.service)?.startedAt;
      if (startedAt) readyIn.set(event.service, Date.now() - Date.parse(startedAt));
    }
    if (startUnderWay(status)) beginStart();
    else render();
  };

  const show = (event: TierdownEvent) => {
    if (event.type === 'report') {
      end();
      line(io.stdout);
      for (const row of summaryLines(event.report)) line(io.stdout, row);
      return;
    }
    if (event.type === 'shutdownStarted') {
      print(plainLine(event) ?? '');
      if (!frame) start(event.waves.flat());
      return;
    }
    if (event.type === 'exited') return print(event.crashed ? paint('red', exitedLine(event)) : exitedLine(event));
    if (event.type === 'transition') {
      // A service that ended by itself outside a stop: its `exited` line says so.
      if (!frame && event.from === 'idle' && event.to === 'stopped') return;
      // Joined a stop under way (a `down` while another runs): rows appear as services move.
      if (!frame) start([]);
      let row = frame!.rows.find((candidate) => candidate.name === event.service);
      if (!row) frame!.rows.push((row = newRow(event.service)));
      applyTransition(row, event);
      return render();
    }
    const text = plainLine(event);
    if (text !== undefined) print(text);
  };
  const onEvent = (event: TierdownEvent) => {
    show(event);
    followStart(event);
  };

  const unsubscribe = source.subscribe(onEvent);
  return {
    note: print,
    close: () => {
      unsubscribe();
      end();
    },
  };
}
