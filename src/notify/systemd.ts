/**
 * tierdown under systemd (`Type=notify`, docs/containers.md): READY=1 once the
 * stack is ready, STATUS= lines as it runs and stops, STOPPING=1 when a stop
 * begins, and EXTEND_TIMEOUT_USEC while the stop proceeds within its plan —
 * at its start and after each wave, the budget of the waves still to come, so
 * systemd's TimeoutStopSec follows the plan rather than a guess. It only watches.
 */
import type { TierdownEvent } from '../events.js';
import { sendNotification } from './send.js';
import { NOTIFY_VARIABLE } from './hub.js';

export interface SystemdNotifier {
  ready(services: number): void;
  /** Resolves once every message so far has been sent. */
  flush(): Promise<void>;
}

interface Watched {
  subscribe(listener: (event: TierdownEvent) => void): () => void;
}

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
  stack.subscribe((event) => {
    if (event.type === 'shutdownStarted') {
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
      send({ STATUS: `${event.report.outcome} in ${Math.round(event.report.durationMs)} ms` });
    }
  });
  return {
    ready: (services) => send({ READY: 1, STATUS: `all ${services} services ready` }),
    flush: () => queue,
  };
}
