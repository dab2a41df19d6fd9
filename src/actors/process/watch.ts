/**
 * Tells a service machine when its process has exited in the docs/how-it-works.md sense:
 * main process gone *and* nothing left in its group or among the descendants
 * seen. The main exit is an event; what is left is checked at once, and if
 * something outlives the main process, checked again when its cgroup says it
 * emptied (cgroup-events.ts) — or, without a cgroup or a watch, on a timer.
 */
import { KILL_SETTLE_MS } from '../../../machines/delays.js';
import type { ProcessEvent } from '../../../machines/service.js';
import { watchCgroupEvents } from './cgroup-events.js';
import { serviceAlive } from './signal.js';
import type { ExitInfo, ServiceProcess } from './spawn.js';

export interface WatchOptions {
  /** First re-check after the main exit where nothing wakes the watcher, doubled up to `maxPollMs`. */
  firstPollMs: number;
  /** The longest wait between re-checks; in a cgroup, the backstop between its events. */
  maxPollMs: number;
}

export function watchExit(service: ServiceProcess, send: (event: ProcessEvent) => void, options: WatchOptions): () => void {
  let watching = true;
  let timer: NodeJS.Timeout | undefined;
  let closeWatcher: (() => void) | undefined;
  const stop = () => {
    watching = false;
    clearTimeout(timer);
    closeWatcher?.();
    closeWatcher = undefined;
  };
  // True once the watch is over: stopped, or nothing of the service is left (then the machine hears it, once).
  const settled = (exit: ExitInfo): boolean => {
    if (!watching) return true;
    if (serviceAlive(service)) return false;
    stop();
    send({ type: 'PROCESS_EXITED', ...exit });
    return true;
  };
  const poll = (exit: ExitInfo, delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!settled(exit)) poll(exit, Math.min(delay * 2, options.maxPollMs));
    }, delay);
  };
  // The watch is armed before the check, so an exit in between still wakes it. It
  // covers the cgroups below the service's too: while its stop command's or health
  // check's cgroup still runs (stop-command-cgroup.ts), the last member of the service
  // leaving raises no event, so a slow re-check stays as the backstop.
  const watchCgroup = (dir: string, exit: ExitInfo) => {
    try {
      closeWatcher = watchCgroupEvents(
        dir,
        () => void settled(exit),
        () => {
          closeWatcher = undefined;
          if (watching) poll(exit, options.firstPollMs);
        },
      );
    } catch {
      // No inotify watch to be had (fs.inotify.max_user_watches): re-check on a timer, as without a cgroup.
      poll(exit, options.firstPollMs);
      return;
    }
    if (!settled(exit)) poll(exit, options.maxPollMs);
  };
  const book = (exit: ExitInfo) => {
    if (!watching) return;
    // Nothing left (the common case): PROCESS_EXITED alone, one event and one macrostep per exit.
    // Something outlives the main: MAIN_EXITED now (the machine keeps the exit status, and its
    // timers go on), PROCESS_EXITED once it is gone — the orders the model tests hold it to (test/model).
    if (settled(exit)) return;
    send({ type: 'MAIN_EXITED', ...exit });
    if (service.cgroup) watchCgroup(service.cgroup, exit);
    else poll(exit, options.firstPollMs);
  };
  // An exit is booked in the turn Node reaps it, before the step timers that fell due
  // meanwhile are heard (machines/step-timer.ts): an exit that came within its step is
  // never reported as that step's timeout. Soon after a SIGKILL it waits one timer tick:
  // the SIGKILLs already due then go out first instead of queueing behind the exits of
  // the services already killed (1000 stubborn services: the last SIGKILL ~450 ms
  // sooner). Only while the kill budget (at least KILL_SETTLE_MS) is surely not over:
  // until then its timer cannot have fallen due, so the tick cannot put it first.
  void service.mainExited.then((exit) => {
    const justKilled = service.killedAt !== null && performance.now() - service.killedAt < KILL_SETTLE_MS / 2;
    if (justKilled) timer = setTimeout(() => book(exit), 0);
    else book(exit);
  });
  return stop;
}
