/**
 * The services every tool in the bench starts, identical for all of them: a
 * tiny `sh` with one child (`sleep`), so Node start-up does not dominate and
 * the group matters — a tool that signals only the main pid leaves the child
 * behind, and the bench keeps timing until it is gone.
 */
import type { Proc } from './proc.js';

export type Kind = 'cooperative' | 'stubborn';
export const KINDS: readonly Kind[] = ['cooperative', 'stubborn'];

/** The grace a stubborn service gets before SIGKILL, in every tool (SIGTERM timeout, stopwaitsecs, kill_timeout). */
export const GRACE_MS = 1000;

// A leftover service ends by itself after this long, whatever happened to the bench.
const LIFETIME_S = 900;

const SCRIPTS: Record<Kind, string> = {
  // The trap makes `wait` return at once on SIGTERM; the sleep dies of the same group signal.
  cooperative: `trap "exit 0" TERM; sleep ${LIFETIME_S} & wait`,
  // An ignored signal stays ignored in the child too: only SIGKILL ends either.
  stubborn: `trap "" TERM; sleep ${LIFETIME_S} & wait`,
};

/**
 * True once every shell has its `sleep` exec'd. Not before: dash swallows a
 * SIGTERM that reaches a freshly forked child before it has reset the trap it
 * inherited, and that `sleep` then outlives the stop — a quirk of the service,
 * not of the tool being timed.
 */
export function servicesSettled(n: number, procs: Proc[]): boolean {
  return procs.filter((proc) => proc.comm === 'sleep').length >= n;
}

export function serviceArgv(kind: Kind): string[] {
  return ['/bin/sh', '-c', SCRIPTS[kind]];
}

export function serviceName(index: number): string {
  return `s${String(index).padStart(3, '0')}`;
}

/** A tierdown config (SPEC §4) of `n` independent services of one kind, tier simple, SIGTERM timeout = the grace. */
export function tierdownConfig(n: number, kind: Kind): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (let index = 0; index < n; index++) services[serviceName(index)] = { command: serviceArgv(kind), tier: 'simple' };
  return { version: 1, defaults: { timeouts: { sigterm: `${GRACE_MS}ms`, kill: '2s' } }, services };
}
