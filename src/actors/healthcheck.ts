/**
 * One health check of a running service (docs/config.md#healthcheck): a GET
 * that must answer 2xx, a TCP connect to 127.0.0.1:port, or a command run
 * with the service's env, cwd and user that must exit 0. The health
 * statechart (machines/health.ts) owns the timeout, the interval and what
 * failures mean; aborting `signal` (the chart left `checking`) ends the check,
 * a command's whole process group with it.
 */
import { fromPromise } from 'xstate';
import type { ProbeInput, ProbeResult } from '../../machines/health.js';
import type { Run } from '../engine/run.js';
import { serviceDispatcher } from './http-dispatchers.js';
import { runStopCommand } from './stop-command.js';
import { serviceCgroupOf } from './stop-command-cgroup.js';
import { portOpen, probe } from './url-probe.js';

async function checkOnce(run: Run, name: string, timeoutMs: number, signal: AbortSignal): Promise<ProbeResult> {
  const service = run.service(name);
  const check = service.healthcheck?.probe;
  // Nothing to check: the chart only runs for a service with a healthcheck.
  if (!check) return { healthy: true };
  if (check.kind === 'http') {
    const result = await probe(check.url, timeoutMs, signal, serviceDispatcher(run.http, service));
    if (result.status !== null && result.status >= 200 && result.status < 300) return { healthy: true };
    return { healthy: false, detail: result.status === null ? `GET ${check.url}: ${result.error?.message ?? 'no answer'}` : `GET ${check.url} answered ${result.status}` };
  }
  if (check.kind === 'tcp') {
    return (await portOpen(check.port, timeoutMs)) ? { healthy: true } : { healthy: false, detail: `port ${check.port} accepts no connection` };
  }
  // Run as a stop command is (its user; born in a swept cgroup of its own inside the service's,
  // or without cgroups in a process group of its own, killed on abort), without the service's token.
  const running = run.processes.get(name);
  const ran = await runStopCommand({
    command: check.command,
    cwd: service.cwd,
    env: service.env,
    pid: running?.pid ?? null,
    runAs: service.runAs,
    signal,
    cgroup: serviceCgroupOf(running?.cgroup),
    cgroupName: 'health-check',
    sanitize: run.tokens.sanitize,
  });
  return ran.outcome === 'succeeded' ? { healthy: true } : { healthy: false, detail: ran.detail };
}

/** The health chart's `probe` actor for this run. */
export function healthProbeActor(run: Run) {
  return fromPromise<ProbeResult, ProbeInput>(({ input, signal }) => checkOnce(run, input.name, input.timeoutMs, signal));
}
