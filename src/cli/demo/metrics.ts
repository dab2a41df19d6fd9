/**
 * The demo's closing numbers, after the seed's metrics table: the timeline of
 * every transition in order, and per tier how many services, how they ended,
 * mean and max stop time, and the success rate.
 */
import type { ServiceReport, ShutdownReport } from '../../../machines/types.js';
import { formatMs, table } from '../format.js';

/** Every transition of the stop, in time order, from the report. */
export function timelineLines(report: ShutdownReport): string[] {
  const moves = report.services.flatMap((service) =>
    service.transitions.map((transition, index) => ({
      atMs: transition.atMs,
      service: service.name,
      from: index === 0 ? 'idle' : service.transitions[index - 1].to,
      to: transition.to,
      reason: transition.reason,
    })),
  );
  moves.sort((a, b) => a.atMs - b.atMs);
  const rows = [['at', 'service', 'transition', 'because'], ...moves.map((move) => [`+${formatMs(move.atMs)}`, move.service, `${move.from} → ${move.to}`, move.reason])];
  return table(rows);
}

// "http" when all agree, else each method with its count: "http 3, signal 1".
function methods(services: ServiceReport[]): string {
  const counts = new Map<string, number>();
  for (const service of services) counts.set(service.method, (counts.get(service.method) ?? 0) + 1);
  if (counts.size === 1) return [...counts.keys()][0];
  return [...counts].map(([method, count]) => `${method} ${count}`).join(', ');
}

/** One row per tier, in the order tiers first appear in the report. */
export function tierMetricsLines(report: ShutdownReport): string[] {
  const byTier = new Map<string, ServiceReport[]>();
  for (const service of report.services) byTier.set(service.tier, [...(byTier.get(service.tier) ?? []), service]);
  const rows = [['tier', 'services', 'method', 'mean', 'max', 'success']];
  for (const [tier, services] of byTier) {
    const times = services.map((service) => service.durationMs);
    const stopped = services.filter((service) => service.outcome === 'stopped').length;
    rows.push([
      tier,
      String(services.length),
      methods(services),
      formatMs(times.reduce((sum, ms) => sum + ms, 0) / times.length),
      formatMs(times.reduce((slowest, ms) => Math.max(slowest, ms))),
      `${Math.round((100 * stopped) / services.length)}% (${stopped}/${services.length})`,
    ]);
  }
  return table(rows);
}
