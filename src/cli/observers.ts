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
import { parsePortFlag } from './args.js';

export interface Observers {
  /** For `createOrchestrator(config, { inspect })`; undefined without `--inspect`. */
  inspect?: (event: InspectionEvent) => void;
  /** Starts the page for `stack` (with `--ui`) and prints where to look. */
  attach(stack: VisualizedStack | Orchestrator, note: (text: string) => void): Promise<void>;
  /** The page, once attached. */
  readonly ui: Visualizer | undefined;
  /** With `--ui`: keeps the page up until the user closes it or presses Enter (`demo --ui`). */
  holdPage(note: (text: string) => void, input?: NodeJS.ReadableStream): Promise<void>;
  close(): Promise<void>;
}

/** Starts what `--inspect` asks for (the relay must exist before the engine does). */
export async function startObservers(values: { ui?: string; inspect?: string }): Promise<Observers> {
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
  return {
    inspect: relay?.inspect,
    get ui() {
      return ui;
    },
    attach: async (stack, note) => {
      if (relay) {
        note(`inspector: open ${relay.pageUrl} to watch in Stately's inspector, or connect an inspection client to ${relay.url}`);
      }
      if (uiPort !== undefined) {
        const { startVisualizer } = await import('../../visualizer/server.js');
        ui = await startVisualizer(stack, { port: portOf(uiPort) });
        note(`visualizer: ${ui.url}`);
      }
    },
    holdPage: async (note, input = process.stdin) => {
      if (!ui) return;
      note(`visualizer: ${ui.url} stays up — close the page or press Enter to finish`);
      await ui.waitForClose({ input });
    },
    close: async () => {
      await Promise.all([ui?.close(), relay?.close()]);
    },
  };
}
