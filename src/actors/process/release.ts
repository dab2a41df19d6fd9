/**
 * The end of a run, for its processes' pipes: the output pipes of every service
 * whose main process is gone are closed. A daemon that inherited a service's
 * stdout keeps the pipe open for as long as it lives; without this, reading
 * that pipe would keep a long-lived engine's event loop busy after the stop is
 * over. Services still running (a rollback, `detach`) keep theirs. (The run's
 * empty cgroups are removed apart, before: cgroup.ts `releaseRunCgroups`.)
 */
import type { ServiceProcess } from './spawn.js';

export function releaseProcesses(processes: Iterable<ServiceProcess>): void {
  for (const service of processes) {
    if (service.exit === null) continue;
    service.output.stdout?.destroy();
    service.output.stderr?.destroy();
  }
}
