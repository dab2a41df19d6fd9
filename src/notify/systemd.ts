/**
 * tierdown under systemd (`Type=notify`, docs/containers.md): READY=1 once the
 * stack is ready, STATUS= lines as it runs and stops, STOPPING=1 when a stop
 * begins, and EXTEND_TIMEOUT_USEC while the stop proceeds within its plan —
 * at its start and after each wave, the budget of the waves still to come, so
 * systemd's TimeoutStopSec follows the plan rather than a guess. While the
 * stack runs, STATUS= says what the status rows say (who is up, who is not and
 * why); a stop's end says how it ended, SIGKILLs counted. It only watches.
 */
import { UP_STATES } from '../../machines/life.js';
import { stopSummary } from '../../machines/report.js';
import type { ServiceStatus } from '../engine/status.js';
import type { TierdownEvent } from '../events.js';
import { sendNotification } from './send.js';
import { NOTIFY_VARIABLE } from './hub.js';

export interface SystemdNotifier {
  /** The stack is up: READY=1, and from now on STATUS= follows the status rows. */
  ready(): void;
  /** Resolves once every message so far has been sent. */
  flush(): Promise<void>;
}

interface Watched {
  subscribe(listener: (event: TierdownEvent) => void): () => void;
  status(): ServiceStatus[];
}

/** Services named one by one in a STATUS= line; the rest are counted. */
const NAMED = 5;

/** The one STATUS= of a running stack, from its status rows: all up, or how many are and who is not, with its state. */
export function runningStatus(rows: Pick<ServiceStatus, 'name' | 'state'>[]): string {
  const down = rows.filter((row) => !UP_STATES.has(row.state));
  if (down.length === 0) return `all ${rows.length} services ready`;
  const named = down.slice(0, NAMED).map((row) => `${row.name} ${row.state}`).join(', ');
  return `${rows.length - down.length} of ${rows.length} up; ${named}${down.length > NAMED ? ` and ${down.length - NAMED} more` : ''}`;
}

// Events after which what the rows say may have changed while the stack runs.
const CHANGES = new Set<TierdownEvent['type']>(['exited', 'restartScheduled', 'restartsExhausted', 'ready', 'unhealthy', 'healthy']);

const FINAL = new Set(['stopped', 'failed']);

/**
 * Null when tierdown was not started by systemd (no NOTIFY_SOCKET).
 * `budgetOf(name)` is a service's worst case in ms; `marginMs` is added to every extension.
 */
export function notifySystemd(
  stack: Watched,
  env: NodeJS.ProcessEnv,
  plan: { budgetOf: (name: string) => number; marginMs: number },
  onError: (message: string) => void,
): SystemdNotifier | null {
  const socket = env[NOTIFY_VARIABLE];
  if (!socket) return null;
  let queue = Promise.resolve();
  let failed = false;
  // In order, one after another: systemd reads them as a sequence.
  const send = (fields: Record<string, string | number>) => {
    queue = queue.then(() =>
      sendNotification(socket, fields).catch((error: Error) => {
        if (!failed) onError(error.message);
        failed = true;
      }),
    );
  };
  const extendFor = (waves: string[][]) => {
    const ms = waves.reduce((sum, wave) => sum + wave.reduce((slowest, name) => Math.max(slowest, plan.budgetOf(name)), 0), 0) + plan.marginMs;
    return Math.round(ms * 1000);
  };
  let waves: string[][] = [];
  const ended = new Set<string>();
  let wavesDone = 0;
  let ready = false;
  let stopping = false;
  let lastStatus = '';
  // Only what changed: a restarting service's every event need not reach systemd.
  const sendStatus = () => {
    const status = runningStatus(stack.status());
    if (status !== lastStatus) send({ STATUS: (lastStatus = status) });
  };
  stack.subscribe((event) => {
    if (ready && !stopping && CHANGES.has(event.type)) sendStatus();
    if (event.type === 'shutdownStarted') {
      stopping = true;
      waves = event.waves;
      wavesDone = 0;
      ended.clear();
      send({ STOPPING: 1, STATUS: `stopping ${event.services.length} services in ${waves.length} waves`, EXTEND_TIMEOUT_USEC: extendFor(waves) });
    } else if (event.type === 'transition' && FINAL.has(event.to)) {
      ended.add(event.service);
      while (wavesDone < waves.length && waves[wavesDone].every((name) => ended.has(name))) wavesDone++;
      if (wavesDone > 0 && wavesDone < waves.length && waves[wavesDone - 1].includes(event.service)) {
        send({ STATUS: `stopping: wave ${wavesDone + 1} of ${waves.length} (${waves[wavesDone].join(', ')})`, EXTEND_TIMEOUT_USEC: extendFor(waves.slice(wavesDone)) });
      }
    } else if (event.type === 'report') {
      stopping = false;
      send({ STATUS: (lastStatus = stopSummary(event.report, (ms) => `${Math.round(ms)} ms`)) });
    }
  });
  return {
    ready: () => {
      ready = true;
      send({ READY: 1, STATUS: (lastStatus = runningStatus(stack.status())) });
    },
    flush: () => queue,
  };
}
