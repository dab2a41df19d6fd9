/**
 * `tierdown validate`: checks the config and shows what a stop would do —
 * tiers, waves, timeouts, and the worst-case shutdown time (docs/cli.md).
 */
import { budgetTimers, serviceBudget, worstCaseShutdown } from '../../machines/budget.js';
import type { PlannedService } from '../../machines/orchestrator.js';
import { BUDGET_KEYS, type Timeouts } from '../../machines/timeouts.js';
import { planStopWaves } from '../../machines/waves.js';
import { checkHost, loadConfig } from '../config/index.js';
import { cgroupSupport } from '../actors/process/cgroup.js';
import { describeGraceFit, graceFitOf } from '../engine/grace.js';
import { plannedService } from '../engine/plan.js';
import { clearTextTokenWarnings } from '../tls/clear-text.js';
import { parseCommandArgs, parseOrder } from './args.js';
import { formatMs, table } from './format.js';
import { EXIT, line, type CliIO } from './io.js';
import { parseGrace } from './grace.js';

// How a stop will find and verify each service's processes on this host (docs/process-tracking.md).
function processTracking(): { method: 'cgroup' | 'process-group'; detail: string } {
  const support = cgroupSupport();
  return support.available ? { method: 'cgroup', detail: support.base } : { method: 'process-group', detail: support.reason };
}

/** One row per service: its steps, each timer it can wait out (`-` for a step it never takes), its budget. */
function budgetTable(planned: PlannedService[], timeoutsOf: (service: PlannedService) => Timeouts): string[] {
  const rows = [['service', 'tier', 'steps', ...BUDGET_KEYS, 'budget', 'depends on']];
  for (const service of planned) {
    const timeouts = timeoutsOf(service);
    const timers = budgetTimers(service.steps, timeouts);
    rows.push([
      service.name,
      service.tier,
      service.steps.join(', '),
      ...BUDGET_KEYS.map((key) => (timers[key] === undefined ? '-' : formatMs(timers[key]))),
      formatMs(serviceBudget(service.steps, timeouts)),
      service.dependsOn.join(', ') || '-',
    ]);
  }
  return table(rows);
}

export async function validate(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, 'validate');
  const config = await loadConfig(values.config, io.cwd);
  checkHost(config);
  const tracking = processTracking();
  const order = parseOrder(values.order);
  const planned = config.services.map((service) => plannedService(service, config.tiers));
  const byName = new Map(planned.map((service) => [service.name, service]));
  const budgetOf = (name: string) => {
    const service = byName.get(name);
    return service ? serviceBudget(service.steps, service.timeouts) : 0;
  };
  const waves = planStopWaves(planned, planned.map((service) => service.name), order);
  const worst = worstCaseShutdown(waves, budgetOf);
  const graceMs = parseGrace(values.grace, io.env);
  // The very fit `up` makes (src/engine/grace.ts): what validate shows is what up does.
  const fit = graceMs === undefined ? undefined : graceFitOf(config, order, graceMs);
  // Exit 1 (not 2): the config is valid, it only needs more time than the outside gives it.
  const fits = !fit || !fit.shrunk;

  if (values.json) {
    const services = planned.map((service) => ({
      ...service,
      budgetMs: budgetOf(service.name),
      ...(fit?.shrunk ? { fitted: { timeouts: fit.timeouts[service.name], budgetMs: serviceBudget(service.steps, fit.timeouts[service.name]) } } : {}),
    }));
    const grace = fit && {
      graceMs: fit.graceMs,
      marginMs: fit.marginMs,
      fits,
      availableMs: fit.forceAfterMs,
      factor: fit.factor,
      fittedWorstCaseMs: fit.fitted.total,
      fittedPerWaveMs: fit.fitted.perWave,
    };
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
  budgetTable(planned, (service) => service.timeouts).forEach((row) => line(io.stdout, row));
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
  line(io.stdout);
  const room = `grace ${formatMs(fit.graceMs)} less a ${formatMs(fit.marginMs)} margin leaves ${formatMs(fit.forceAfterMs)} (${fit.forceAfterMs} ms)`;
  if (fits) return line(io.stdout, `fits the grace: ${room}`), EXIT.ok;
  line(io.stdout, `does not fit the grace: worst case ${formatMs(worst.total)} (${worst.total} ms) > ${room}`);
  line(io.stdout);
  line(io.stdout, `what up does with this grace: every step's budget (the stop command's too) × ${Math.round(fit.factor * 100)}%`);
  budgetTable(planned, (service) => fit.timeouts[service.name]).forEach((row) => line(io.stdout, row));
  line(io.stdout, `fitted worst-case shutdown: ${formatMs(fit.fitted.total)} (${fit.fitted.total} ms)`);
  line(io.stdout, describeGraceFit(fit, formatMs));
  return EXIT.failed;
}
