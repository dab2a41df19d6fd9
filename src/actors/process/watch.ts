/**
 * Tells a service machine when its process has exited in the docs/how-it-works.md sense:
 * main process gone *and* nothing left in its group or among the descendants
 * seen. The main exit is an event; what follows it can only be polled.
 */
import type { ProcessEvent } from '../../../machines/service.js';
import { serviceAlive } from './signal.js';
import type { ExitInfo, ServiceProcess } from './spawn.js';

export interface WatchOptions {
  /** First re-check after the main exit, doubled up to `maxPollMs`. */
  firstPollMs: number;
  maxPollMs: number;
}

export function watchExit(service: ServiceProcess, send: (event: ProcessEvent) => void, options: WatchOptions): () => void {
  let watching = true;
  let timer: NodeJS.Timeout | undefined;
  let delay = options.firstPollMs;
  const check = (exit: ExitInfo) => {
    if (!watching) return;
    if (!serviceAlive(service)) {
      send({ type: 'PROCESS_EXITED', ...exit });
      return;
    }
    timer = setTimeout(check, delay, exit);
    delay = Math.min(delay * 2, options.maxPollMs);
  };
  // The exit's bookkeeping waits one timer tick: SIGKILL timers already due then
  // fire first instead of queueing behind the exits of the services already
  // killed (200 stubborn services: the last SIGKILL goes out ~35 ms sooner).
  void service.mainExited.then((exit) => {
    timer = setTimeout(() => {
      if (!watching) return;
      send({ type: 'MAIN_EXITED', ...exit });
      check(exit);
    }, 0);
  });
  return () => {
    watching = false;
    clearTimeout(timer);
  };
}
