/**
 * `--inspect [PORT]` and `--ui [PORT]`: watching a run from outside the
 * terminal — Stately's inspector over the inspection protocol, or tierdown's
 * own live page. Both only observe. Their modules load only when asked for, so
 * a plain `up` starts no faster or slower for their existence.
 */
import type { InspectionEvent } from 'xstate';
import type { Orchestrator } from '../engine/orchestrator.js';
import type { InspectorRelay } from '../inspector/relay.js';
import type { Visualizer, VisualizedStack } from '../../visualizer/server.js';
import { phaseTracker } from '../../visualizer/phase.js';
import { parsePortFlag } from './args.js';

export interface Observers {
  /** For `createOrchestrator(config, { inspect })`; undefined without `--inspect`. */
  inspect?: (event: InspectionEvent) => void;
  /** Starts the page for `stack` (with `--ui`) and prints where to look. */
  attach(stack: VisualizedStack | Orchestrator, note: (text: string) => void): Promise<void>;
  /** The page, once attached. */
  readonly ui: Visualizer | undefined;
  /** With `--ui`: keeps the page up until the user closes it, presses Enter or Ctrl-C (`demo --ui`, `up --ui-keep`). */
  holdPage(note: (text: string) => void, input?: NodeJS.ReadableStream | null): Promise<void>;
  /** With `--ui`: waits (at most `timeoutMs`) until a page has opened; true if one did. */
  waitForPage(note: (text: string) => void, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Starts what `--inspect` asks for (the relay must exist before the engine does). */
export async function startObservers(values: { ui?: string; inspect?: string; 'on-failure'?: string }): Promise<Observers> {
  // A bare flag (0) means "the default port": 4840 for the page, 8080 for the inspector.
  const uiPort = parsePortFlag('ui', values.ui);
  const inspectPort = parsePortFlag('inspect', values.inspect);
  const portOf = (port: number) => (port === 0 ? undefined : port);
  let relay: InspectorRelay | undefined;
  if (inspectPort !== undefined) {
    const { startInspectorRelay } = await import('../inspector/relay.js');
    relay = await startInspectorRelay({ port: portOf(inspectPort) });
  }
  let ui: Visualizer | undefined;
  // The page marks the orchestrator's real state, read from the engine's inspection events.
  const phases = uiPort !== undefined ? phaseTracker() : undefined;
  const inspect =
    relay && phases
      ? (event: InspectionEvent) => {
          relay?.inspect(event);
          phases.inspect(event);
        }
      : (relay?.inspect ?? phases?.inspect);
  const onFailure = values['on-failure'] === 'rollback' || values['on-failure'] === 'escalate' ? values['on-failure'] : undefined;
  return {
    inspect,
    get ui() {
      return ui;
    },
    attach: async (stack, note) => {
      if (relay) {
        note(`inspector: open ${relay.pageUrl} to watch in Stately's inspector, or connect an inspection client to ${relay.url}`);
      }
      if (uiPort !== undefined) {
        const { startVisualizer } = await import('../../visualizer/server.js');
        ui = await startVisualizer(stack, { port: portOf(uiPort), phases, onFailure });
        // The URL carries the run's secret: it is the only way in (docs/visualizer.md).
        note(`visualizer: ${ui.url}`);
      }
    },
    holdPage: async (note, input: NodeJS.ReadableStream | null | undefined = process.stdin) => {
      if (!ui) return;
      note(`visualizer: ${ui.url} stays up for replay — close the page, press Enter or Ctrl-C to finish`);
      const interrupted = new AbortController();
      const onSignal = () => interrupted.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      await ui.waitForClose({ input: input ?? undefined, signal: interrupted.signal });
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
    waitForPage: async (note, timeoutMs) => {
      if (!ui) return false;
      if (ui.pages > 0) return true;
      note(`visualizer: open ${ui.url} — waiting up to ${Math.round(timeoutMs / 1000)}s for the page before stopping`);
      const opened = await ui.waitForPage(timeoutMs);
      note(opened ? 'visualizer: page connected' : 'visualizer: no page connected; going on');
      return opened;
    },
    close: async () => {
      await Promise.all([ui?.close(), relay?.close()]);
    },
  };
}
