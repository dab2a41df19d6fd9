/**
 * `validate`'s warning: a bearer token sent over plain http to a host that is
 * not loopback crosses the network in clear text (docs/containers.md).
 */
import type { ResolvedConfig } from '../config/types.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/i;

/** True for a hostname that never leaves this machine. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

export function clearTextTokenWarnings(config: ResolvedConfig): string[] {
  const warnings: string[] = [];
  for (const service of config.services) {
    if (!service.shutdownUrl || !(service.tier.auto || service.tier.steps.includes('http'))) continue;
    const url = new URL(service.shutdownUrl);
    if (url.protocol !== 'http:' || isLoopback(url.hostname)) continue;
    warnings.push(
      `services.${service.name}.shutdown: the token would travel in clear text to ${url.host} — use an https:// URL (with shutdown.ca)`,
    );
  }
  return warnings;
}
