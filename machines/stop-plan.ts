/**
 * The plan of a stop, as pure functions the stop and orchestrator machines
 * call (docs/restart.md, "Stops during a run"): which services a request
 * covers, whether a request that arrives during a stop joins it or waits its
 * turn, and what starts again after a refused stop or a restart.
 */
import { methodOf } from './report.js';
import type { ServiceOutput } from './service.js';
import { withDependents, type DependencyNode } from './waves.js';

export type FailurePolicy = 'escalate' | 'rollback';

/** A stop as asked for (`shutdown()`, `restart()`, `down`, Ctrl-C, a failed start). */
export interface StopRequest {
  /** null: every service; else these and what depends on them. */
  services: string[] | null;
  /** Start what it covers again once stopped (`restart`). */
  restart: boolean;
  /** Skip every service's gentle steps (FORCE: idle → forceKill). */
  forced: boolean;
  /** The callers waiting for this stop's report. */
  requestIds: number[];
  /** This stop's failure policy when it is not the run's (a start failure's cleanup, `down --on-failure`). */
  onFailure?: FailurePolicy;
}

/** Which services a request covers: all, or the named ones and their dependents, in plan order. */
export function coveredBy(nodes: DependencyNode[], services: string[] | null): string[] {
  return services?.length ? withDependents(nodes, services) : nodes.map((node) => node.name);
}

/** Where a request that arrives during a stop goes. */
export type Admission =
  /** The running stop covers it: its report answers this request too. */
  | { kind: 'join' }
  /** It waits for the running stop, as the queue now says. */
  | { kind: 'queue'; queue: StopRequest[] };

/**
 * A request during a stop joins it when the stop already covers everything it
 * asks for (`outstanding`: what it covers that takes part in no stop yet) and
 * neither restarts nor asks for another policy; a plain full stop already
 * waiting covers any other plain stop, which then runs once; anything else
 * waits its turn.
 */
export function admit(running: { restart: boolean; onFailure: FailurePolicy }, queue: StopRequest[], request: StopRequest, outstanding: string[]): Admission {
  const samePolicy = request.onFailure === undefined || request.onFailure === running.onFailure;
  if (!request.restart && !running.restart && samePolicy && outstanding.length === 0) return { kind: 'join' };
  const plain = (stop: StopRequest) => !stop.restart && stop.onFailure === request.onFailure;
  const full = queue.findIndex((queued) => plain(queued) && queued.services === null);
  if (plain(request) && full >= 0) {
    const merged = { ...queue[full], forced: queue[full].forced || request.forced, requestIds: [...queue[full].requestIds, ...request.requestIds] };
    return { kind: 'queue', queue: queue.map((queued, index) => (index === full ? merged : queued)) };
  }
  return { kind: 'queue', queue: [...queue, request] };
}

/**
 * After a refused stop (`on_failure: rollback`): every service of the stop
 * that did not stop is watched afresh, as it runs on (`rewatch`), and what the
 * stop did stop starts again (`again`); one that ended by itself stays down.
 */
export function rollbackPlan(names: string[], resultOf: (name: string) => ServiceOutput | undefined): { rewatch: string[]; again: string[] } {
  const stopped = (name: string) => resultOf(name)?.outcome === 'stopped';
  return {
    rewatch: names.filter((name) => !stopped(name)),
    again: names.filter((name) => {
      const result = resultOf(name);
      return result?.outcome === 'stopped' && methodOf(result.transitions) !== 'self';
    }),
  };
}

/**
 * After a restart's stop: what it covered starts again — unless it failed to
 * stop (it is still there). `earlier(name)`: how a service not in this stop
 * last ended, if it ended; one that never ran starts too.
 */
export function restartPlan(covered: string[], resultOf: (name: string) => ServiceOutput | undefined, earlier: (name: string) => ServiceOutput | undefined, running: (name: string) => boolean): string[] {
  return covered.filter((name) => {
    const ended = resultOf(name) ?? earlier(name);
    return ended ? ended.outcome !== 'failed' : !running(name);
  });
}
