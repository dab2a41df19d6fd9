/**
 * What `up` offers the engines around it (docs/containers.md): the grace fit
 * said out loud, the `--health` endpoint, and sd_notify to systemd. Each only
 * watches the stack; `up` calls `ready()` once everything is up and `close()` at the end.
 */
import { serviceBudget } from '../../machines/budget.js';
import type { StopOrder } from '../../machines/waves.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Orchestrator } from '../engine/orchestrator.js';
import { plannedService } from '../engine/plan.js';
import { describeGraceFit, graceFitOf } from '../engine/grace.js';
import { serveHealth, type HealthServer } from '../health/server.js';
import { notifySystemd } from '../notify/systemd.js';
import { formatMs } from './format.js';
import { parseHealthFlag } from './health-flag.js';

export interface OutsideOptions {
  config: ResolvedConfig;
  order: StopOrder;
  graceMs: number | undefined;
  health: string | undefined;
  env: NodeJS.ProcessEnv;
  note: (text: string) => void;
}

export async function attachOutside(stack: Orchestrator, options: OutsideOptions) {
  const planned = options.config.services.map((service) => plannedService(service, options.config.tiers));
  const fit = options.graceMs === undefined ? undefined : graceFitOf(options.config, options.order, options.graceMs);
  if (fit) options.note(describeGraceFit(fit, formatMs));
  const address = parseHealthFlag(options.health);
  let health: HealthServer | undefined;
  if (address) {
    health = await serveHealth(stack, address);
    options.note(`health: ${health.url}`);
  }
  const byName = new Map(planned.map((service) => [service.name, service]));
  const systemd = notifySystemd(
    stack,
    options.env,
    {
      budgetOf: (name) => {
        const service = byName.get(name);
        return service ? serviceBudget(service.steps, fit?.timeouts[name] ?? service.timeouts) : 0;
      },
      marginMs: fit?.marginMs ?? 1000,
    },
    (message) => options.note(`systemd: ${message}`),
  );
  return {
    ready: () => systemd?.ready(),
    close: async () => {
      await systemd?.flush();
      await health?.close();
    },
  };
}
