/**
 * When each service's current process started and whether it is ready, read
 * off the engine's own events (for `status()`: uptime, ready). Observes only.
 */
import type { Run } from './run.js';

export interface Lifetime {
  /** Wall-clock time of the current process's spawn, ISO 8601. */
  startedAt: string;
  ready: boolean;
}

export type Lifetimes = ReadonlyMap<string, Lifetime>;

export function trackLifetimes(run: Run): Lifetimes {
  const lifetimes = new Map<string, Lifetime>();
  run.listeners.add((event) => {
    if (event.type === 'spawned') lifetimes.set(event.service, { startedAt: new Date().toISOString(), ready: false });
    else if (event.type === 'ready') {
      const known = lifetimes.get(event.service);
      if (known) known.ready = true;
    } else if (event.type === 'exited' || event.type === 'shutdownStarted') {
      for (const name of event.type === 'exited' ? [event.service] : event.services) {
        const known = lifetimes.get(name);
        if (known) known.ready = false;
      }
    }
  });
  return lifetimes;
}
