/**
 * The end of a run, for its processes: the output pipes of every service whose
 * main process is gone are closed, and the run's empty cgroups removed. A daemon
 * that inherited a service's stdout keeps the pipe open for as long as it lives;
 * without this, reading that pipe would keep the engine (and `up`) alive after
 * the stop is over. Services still running (a rollback, `detach`) keep theirs.
 */
import { removeRunCgroups } from './cgroup.js';
import type { ServiceProcess } from './spawn.js';

export function releaseProcesses(processes: Iterable<ServiceProcess>, runCgroupDir: string | undefined): void {
  for (const service of processes) {
    if (service.exit === null) continue;
    service.output.stdout?.destroy();
    service.output.stderr?.destroy();
  }
  removeRunCgroups(runCgroupDir);
}
