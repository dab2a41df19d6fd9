/**
 * `tierdown validate`: checks the config and shows what a stop would do —
 * tiers, waves, timeouts, and the worst-case shutdown time (docs/cli.md).
 */
import { serviceBudget, worstCaseShutdown } from '../../machines/budget.js';
import type { Step } from '../../machines/types.js';
import { planStopWaves } from '../../machines/waves.js';
import { checkHost, loadConfig } from '../config/index.js';
import { cgroupSupport } from '../actors/process/cgroup.js';
import { plannedService } from '../engine/plan.js';
import { clearTextTokenWarnings } from '../tls/clear-text.js';
import { COMMON_OPTIONS, parseCommandArgs, parseOrder } from './args.js';
import { formatMs, table } from './format.js';
import { EXIT, line, type CliIO } from './io.js';
import { parseGrace } from './grace.js';
import { fitToGrace } from '../../machines/budget.js';

export const VALIDATE_HELP = `Usage: tierdown validate [-c FILE] [--order dependency|none] [--json] [--grace DURATION]

Checks the config and prints its tiers, stop waves, timeouts and the
worst-case shutdown time. With --grace (or TIERDOWN_GRACE), also whether the
worst case fits the time the outside world gives a stop.
Exit status 0 when valid, 1 when valid but the worst case does not fit the grace, 2 when not valid.`;

// How a stop will find and verify each service's processes on this host (docs/process-tracking.md).
function processTracking(): { method: 'cgroup' | 'process-group'; detail: string } {
  const support = cgroupSupport();
  return support.available ? { method: 'cgroup', detail: support.base } : { method: 'process-group', detail: support.reason };
}

export async function validate(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, COMMON_OPTIONS);
  if (values.help) return line(io.stdout, VALIDATE_HELP), EXIT.ok;
  const config = await loadConfig(values.config, io.cwd);
  checkHost(config);
  const tracking = processTracking();
  const planned = config.services.map((service) => plannedService(service, config.tiers));
  const byName = new Map(planned.map((service) => [service.name, service]));
  const budgetOf = (name: string) => {
    const service = byName.get(name);
    return service ? serviceBudget(service.steps, service.timeouts) : 0;
  };
  const waves = planStopWaves(planned, planned.map((service) => service.name), parseOrder(values.order));
  const worst = worstCaseShutdown(waves, budgetOf);
  const graceMs = parseGrace(values.grace, io.env);
  const fit = graceMs === undefined ? undefined : fitToGrace(waves, planned, graceMs);
  // Exit 1 (not 2): the config is valid, it only needs more time than the outside gives it.
  const fits = !fit || !fit.shrunk;

  if (values.json) {
    const services = planned.map((service) => ({ ...service, budgetMs: budgetOf(service.name) }));
    const grace = fit && { graceMs: fit.graceMs, marginMs: fit.marginMs, fits, availableMs: fit.forceAfterMs };
    line(io.stdout, JSON.stringify({ valid: true, source: config.source, onFailure: config.onFailure, services, waves, worstCaseMs: worst.total, processTracking: tracking, ...(grace ? { grace } : {}) }, null, 2));
    return fits ? EXIT.ok : EXIT.failed;
  }
  line(io.stdout, `${config.source}: valid — ${planned.length} services, ${waves.length} stop waves, on_failure: ${config.onFailure}`);
  line(io.stdout);
  line(io.stdout, 'tiers');
  const usedTiers = new Set(planned.map((service) => service.tier));
  for (const tier of Object.values(config.tiers).filter((tier) => usedTiers.has(tier.name))) {
    const steps = tier.auto ? 'probe /shutdown → critical or simple' : tier.steps.join(' → ');
    line(io.stdout, `  ${tier.name.padEnd(10)} ${steps}  (signal ${tier.signal})`);
  }
  line(io.stdout);
  line(io.stdout, 'services');
  const rows = [['service', 'tier', 'steps', 'http', 'exit', 'sigterm', 'kill', 'budget', 'depends on']];
  for (const service of planned) {
    const t = service.timeouts;
    const when = (step: Step, ms: number) => (service.steps.includes(step) ? formatMs(ms) : '-');
    rows.push([
      service.name,
      service.tier,
      service.steps.join(', '),
      when('http', t.http),
      when('http', t.exit),
      when('sigterm', t.sigterm),
      when('forceKill', t.kill),
      formatMs(budgetOf(service.name)),
      service.dependsOn.join(', ') || '-',
    ]);
  }
  table(rows).forEach((row) => line(io.stdout, row));
  line(io.stdout);
  line(io.stdout, 'stop waves (a service stops before anything it depends on)');
  waves.forEach((wave, index) => line(io.stdout, `  ${index}: ${wave.join(', ')}  (worst ${formatMs(worst.perWave[index])})`));
  line(io.stdout);
  line(io.stdout, `worst-case shutdown: ${formatMs(worst.total)} (${worst.total} ms)`);
  if (planned.some((service) => service.local)) {
    line(io.stdout);
    line(
      io.stdout,
      tracking.method === 'cgroup'
        ? `process tracking: cgroup v2 (each service in its own cgroup under ${tracking.detail}; nothing it forks can escape the stop)`
        : `process tracking: process groups only — ${tracking.detail}; a daemon that leaves its session and clears its environment is not seen, and "verified" cannot rule it out`,
    );
  }
  for (const warning of clearTextTokenWarnings(config)) line(io.stdout, `warning: ${warning}`);
  if (!fit) return EXIT.ok;
  const room = `grace ${formatMs(fit.graceMs)} less a ${formatMs(fit.marginMs)} margin leaves ${formatMs(fit.forceAfterMs)} (${fit.forceAfterMs} ms)`;
  if (fits) return line(io.stdout, `fits the grace: ${room}`), EXIT.ok;
  line(io.stdout, `does not fit the grace: worst case ${formatMs(worst.total)} (${worst.total} ms) > ${room}; up would shrink every budget to ${Math.round(fit.factor * 100)}%`);
  return EXIT.failed;
}
