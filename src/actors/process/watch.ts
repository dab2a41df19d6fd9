/**
 * Tells a service machine when its process has exited in the SPEC §2 sense:
 * main process gone *and* nothing left in its group or among the descendants
 * seen. The main exit is an event; what follows it can only be polled.
 */
import type { ProcessEvent } from '../../../machines/service.js';
import { serviceAlive } from './signal.js';
import type { ServiceProcess } from './spawn.js';

export interface WatchOptions {
  /** First re-check after the main exit, doubled up to `maxPollMs`. */
  firstPollMs: number;
  maxPollMs: number;
}

export function watchExit(service: ServiceProcess, send: (event: ProcessEvent) => void, options: WatchOptions): () => void {
  let watching = true;
  let timer: NodeJS.Timeout | undefined;
  void service.mainExited.then((exit) => {
    if (!watching) return;
    send({ type: 'MAIN_EXITED', ...exit });
    let delay = options.firstPollMs;
    const check = () => {
      if (!watching) return;
      if (!serviceAlive(service)) {
        send({ type: 'PROCESS_EXITED', ...exit });
        return;
      }
      timer = setTimeout(check, delay);
      delay = Math.min(delay * 2, options.maxPollMs);
    };
    check();
  });
  return () => {
    watching = false;
    clearTimeout(timer);
  };
}
