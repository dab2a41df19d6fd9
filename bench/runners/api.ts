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

/**
 * Starts a stack from a raw (unresolved) config in an engine process of its own. With
 * `method`, a service reported stopped any other way fails the sample: a report that
 * says a cooperative service was killed is wrong, however fast.
 */
export function startApiStack(config: unknown, baseDir: string, method?: string): Promise<Stack> {
  return stackInChild(new URL('./api-child.js', import.meta.url), { type: 'start', config, baseDir }, 60_000, (child, pids) => ({
    mainPids: pids,
    enginePid: child.pid,
    stop: async () => {
      child.send({ type: 'stop' });
      const done = (await child.next('done', 60_000)) as unknown as { outcome: string; durationMs: number; services: ServiceSummary[] };
      const doneAt = performance.now();
      const unverified = done.services.filter((service) => !service.verified).map((service) => service.name);
      const otherwise = method === undefined ? [] : done.services.filter((service) => service.method !== method);
      const problems = [
        unverified.length ? `not verified: ${unverified.slice(0, 5).join(', ')}` : undefined,
        otherwise.length ? `${otherwise.length} of ${done.services.length} reported stopped by ${otherwise[0].method}, not ${method}` : undefined,
      ].filter((problem) => problem !== undefined);
      return {
        doneAt,
        ok: done.outcome === 'stopped' && problems.length === 0,
        detail: problems.length ? problems.join('; ') : undefined,
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
  // Each kind is stopped one way only: a cooperative service by its signal, a stubborn one by SIGKILL.
  start: (n, kind, workDir) => startApiStack(tierdownConfig(n, kind), workDir, kind === 'cooperative' ? 'signal' : 'kill'),
};
