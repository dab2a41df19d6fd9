/**
 * `validate`'s warning: a bearer token sent over plain http to a host that is
 * not loopback crosses the network in clear text (docs/containers.md).
 */
import { isLoopbackHost } from '../config/endpoints.js';
import type { ResolvedConfig } from '../config/types.js';

export function clearTextTokenWarnings(config: ResolvedConfig): string[] {
  const warnings: string[] = [];
  for (const service of config.services) {
    if (!service.shutdownUrl || !(service.tier.auto || service.tier.steps.includes('http'))) continue;
    const url = new URL(service.shutdownUrl);
    if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) continue;
    warnings.push(
      `services.${service.name}.shutdown: the token would travel in clear text to ${url.host} — use an https:// URL (with shutdown.ca)`,
    );
  }
  return warnings;
}
