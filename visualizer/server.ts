/**
 * `--ui`: serves the live visualizer on 127.0.0.1 at a secret URL. The page
 * gets the charts once (`api/model`) and then every engine event as
 * server-sent events (`api/events`), replayed from the start for a page opened
 * late, plus the orchestrator's state (when the engine runs here) and the
 * status rows ("what is it waiting on") while anything changes. Like every
 * view it only subscribes: it never decides anything about the run.
 */
import type { Orchestrator } from '../src/engine/orchestrator.js';
import { planOf } from '../src/engine/report-plan.js';
import { servePage, type PageServer, type PageServerOptions } from './http.js';
import { modelOffThread } from './model-thread.js';
import type { PhaseTracker } from './phase.js';

export { DEFAULT_UI_PORT, type WaitForCloseOptions } from './http.js';

/** What the visualizer watches: an orchestrator, or anything that relays one's events. */
export type VisualizedStack = Pick<Orchestrator, 'config' | 'subscribe'> & Partial<Pick<Orchestrator, 'status'>>;

export interface VisualizerOptions extends PageServerOptions {
  /** How often status rows are refreshed while a page is open. */
  statusIntervalMs?: number;
  /** The orchestrator's real state, when the engine runs in this process. */
  phases?: PhaseTracker;
  /** The failure policy the run uses, when the command line overrides the config's. */
  onFailure?: 'escalate' | 'rollback';
}

export type Visualizer = Omit<PageServer, 'publish'>;

/** Starts serving the visualizer for `stack`; call before `stack.start()` to show the start too. */
export async function startVisualizer(stack: VisualizedStack, options: VisualizerOptions = {}): Promise<Visualizer> {
  const page = await servePage(modelOffThread(planOf(stack.config, options.onFailure), 'live'), options);
  const unsubscribe = stack.subscribe((event) => {
    if (event.type === 'log') return; // the terminal shows logs; the page shows the shutdown
    page.publish({ kind: 'event', time: Date.now(), event });
  });
  const current = options.phases?.current();
  if (current) page.publish({ kind: 'phase', time: Date.now(), ...current });
  const unsubscribePhase = options.phases?.subscribe((phase) => page.publish({ kind: 'phase', time: Date.now(), ...phase }));
  let lastStatus = '';
  const statusTimer = setInterval(() => {
    if (!page.pages || !stack.status) return;
    const rows = JSON.stringify(stack.status());
    if (rows === lastStatus) return;
    lastStatus = rows;
    // Status is a snapshot, not history: a page opened later gets the next one.
    page.publish({ kind: 'status', time: Date.now(), rows: JSON.parse(rows) }, false);
  }, options.statusIntervalMs ?? 200);
  statusTimer.unref();
  return {
    get url() {
      return page.url;
    },
    port: page.port,
    get pages() {
      return page.pages;
    },
    waitForPage: page.waitForPage,
    waitForClose: page.waitForClose,
    close: () => {
      unsubscribe();
      unsubscribePhase?.();
      clearInterval(statusTimer);
      return page.close();
    },
  };
}
