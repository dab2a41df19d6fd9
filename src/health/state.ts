/**
 * The one mapping from what the engine says about a service to what a health
 * probe says (docs/containers.md): `running` is healthy, anything else names
 * why not.
 */
import type { ServiceStatus } from '../engine/status.js';

export type ServiceHealth = 'running' | 'starting' | 'restarting' | 'stopping' | 'stopped' | 'failed';

export interface HealthFacts {
  /** Services that said they were ready since they were last (re)spawned. */
  ready: ReadonlySet<string>;
  /** Services of the stop in progress, if any. */
  stopping: ReadonlySet<string>;
}

export function serviceHealth(row: ServiceStatus, facts: HealthFacts): ServiceHealth {
  if (row.state === 'stopped' || row.state === 'failed') return row.state;
  if (row.state !== 'idle' || facts.stopping.has(row.name)) return 'stopping';
  // A service being restarted is not ready (docs/config: restart policy).
  if ((row as { restarting?: boolean }).restarting) return 'restarting';
  return facts.ready.has(row.name) ? 'running' : 'starting';
}

/** The probe's answer: healthy when every service runs. */
export function stackHealth(rows: ServiceStatus[], facts: HealthFacts) {
  const services = Object.fromEntries(rows.map((row) => [row.name, serviceHealth(row, facts)]));
  const notReady = Object.fromEntries(Object.entries(services).filter(([, health]) => health !== 'running'));
  const healthy = rows.length > 0 && Object.keys(notReady).length === 0;
  return { healthy, body: { status: healthy ? 'ok' : 'unavailable', ...(healthy ? {} : { notReady }), services } };
}
