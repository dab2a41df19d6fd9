/** tierdown via its API (`createOrchestrator`), in bench/runners/api-child.ts. */
import { tierdownConfig } from '../services.js';
import { stackInChild } from './child.js';
import type { Runner, Stack } from './types.js';

interface ServiceSummary {
  name: string;
  outcome: string;
  method: string;
  durationMs: number;
  verified: boolean;
  transitions: Array<{ to: string; atMs: number }>;
}

// Small stacks keep every service's transitions; large ones only counts, to keep the JSON readable.
function summarise(done: { outcome: string; durationMs: number; services: ServiceSummary[] }): Record<string, unknown> {
  const methods: Record<string, number> = {};
  for (const service of done.services) methods[service.method] = (methods[service.method] ?? 0) + 1;
  const slowestServiceMs = Math.max(0, ...done.services.map((service) => service.durationMs));
  const services = done.services.length <= 10 ? done.services : undefined;
  return { outcome: done.outcome, reportDurationMs: done.durationMs, methods, slowestServiceMs, services };
}

/** Starts a stack from a raw (unresolved) config in an engine process of its own. */
export function startApiStack(config: unknown, baseDir: string): Promise<Stack> {
  return stackInChild(new URL('./api-child.js', import.meta.url), { type: 'start', config, baseDir }, 60_000, (child, pids) => ({
    mainPids: pids,
    enginePid: child.pid,
    stop: async () => {
      child.send({ type: 'stop' });
      const done = (await child.next('done', 60_000)) as unknown as { outcome: string; durationMs: number; services: ServiceSummary[] };
      const doneAt = performance.now();
      const unverified = done.services.filter((service) => !service.verified).map((service) => service.name);
      return {
        doneAt,
        ok: done.outcome === 'stopped' && unverified.length === 0,
        detail: unverified.length ? `not verified: ${unverified.slice(0, 5).join(', ')}` : undefined,
        extra: summarise(done),
      };
    },
    close: () => child.close(),
  }));
}

export const apiRunner: Runner = {
  key: 'api',
  label: 'tierdown API',
  peer: false,
  unavailable: async () => undefined,
  start: (n, kind, workDir) => startApiStack(tierdownConfig(n, kind), workDir),
};
