/**
 * The probe of the `auto` tier (docs/config.md#tiers): one GET to the shutdown
 * URL — never a POST, so nothing shuts down. What its answer means (an endpoint
 * or not: critical or simple) is the service statechart's to decide.
 */
import type { Dispatcher } from 'undici';
import type { ResolvedService } from '../config/types.js';
import { probeUrl } from './url-probe.js';

export interface ShutdownUrlProbe {
  /** Null: the service has no shutdown URL. */
  url: string | null;
  /** Null: nothing answered in time. */
  status: number | null;
}

export async function probeShutdownUrl(service: ResolvedService, options: { timeoutMs: number; signal?: AbortSignal; dispatcher?: Dispatcher }): Promise<ShutdownUrlProbe> {
  if (!service.shutdownUrl) return { url: null, status: null };
  return { url: service.shutdownUrl, status: await probeUrl(service.shutdownUrl, options.timeoutMs, options.signal, options.dispatcher) };
}
