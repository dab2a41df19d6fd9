/**
 * The plan of a start asked for while the stack runs (`tierdown start`, `up
 * SERVICE...` on a running stack; docs/cli.md), as pure functions the
 * orchestrator calls: which services a request covers, which of them are
 * missing, and how requests that waited are merged into one start.
 */
import { hasEnded, type ServiceLife } from './life.js';
import { withDependencies, type DependencyNode } from './waves.js';

/** A start as asked for: these services and what they depend on (null: every service). */
export interface StartRequest {
  services: string[] | null;
  /** The callers waiting for this start's answer. */
  requestIds: number[];
}

/** The start in progress: what it brings up, in waves, and who waits for it. */
export interface CurrentStart {
  names: string[];
  waves: string[][];
  requestIds: number[];
}

/** Which services a start covers: the named ones and everything they depend on, or all, in plan order. */
export function startCoveredBy(nodes: DependencyNode[], services: string[] | null): string[] {
  return services?.length ? withDependencies(nodes, services) : nodes.map((node) => node.name);
}

/**
 * A service is missing when it has ended and nothing brings it back: stopped,
 * exited, crashed or gave up — or failed to start (no process). A `failed` one
 * that still has a process (alive after SIGKILL) is not started twice; one a
 * supervisor is bringing back (`restarting`) is the supervisor's.
 */
export function isMissing(life: ServiceLife, restarting: boolean): boolean {
  if (restarting || !hasEnded(life)) return false;
  return life.state !== 'failed' || life.pid === null;
}

/** Several requests that waited (a start or a stop was under way) become one start. */
export function mergeStarts(requests: StartRequest[]): StartRequest {
  const all = requests.some((request) => !request.services?.length);
  const services = all ? null : [...new Set(requests.flatMap((request) => request.services ?? []))];
  return { services, requestIds: requests.flatMap((request) => request.requestIds) };
}
