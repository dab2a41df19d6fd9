/**
 * The `auto` tier (SPEC §3): one GET to the shutdown URL — never a POST, so
 * nothing shuts down — decides whether the service has a shutdown endpoint.
 * An endpoint that exists answers anything but 404/501 (tierdown/service says
 * 405 to a GET); nothing listening or 404 means the service has none.
 */
import { effectiveSteps } from '../../machines/steps.js';
import type { Step } from '../../machines/types.js';
import type { ResolvedService, ResolvedTier } from '../config/types.js';
import { probeUrl } from './url-probe.js';

export interface AutoTierChoice {
  steps: Step[];
  detail: string;
}

export async function resolveAutoTier(
  service: ResolvedService,
  tiers: Record<string, ResolvedTier>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<AutoTierChoice> {
  // The one tier rule: a remote service keeps only http whichever way the probe goes.
  const local = service.command !== undefined;
  const simpleSteps = effectiveSteps(tiers.simple?.steps ?? ['sigterm', 'forceKill'], local);
  const criticalSteps = effectiveSteps(tiers.critical?.steps ?? ['http', 'sigterm', 'forceKill'], local);
  if (!service.shutdownUrl) return { steps: simpleSteps, detail: 'auto: no shutdown URL → simple' };
  const status = await probeUrl(service.shutdownUrl, options.timeoutMs, options.signal);
  if (status === null) return { steps: simpleSteps, detail: `auto: nothing answered at ${service.shutdownUrl} → simple` };
  if (status === 404 || status === 501) return { steps: simpleSteps, detail: `auto: GET ${service.shutdownUrl} answered ${status} → simple` };
  return { steps: criticalSteps, detail: `auto: GET ${service.shutdownUrl} answered ${status} → critical` };
}
