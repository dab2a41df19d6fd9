/**
 * `tierdown config [--json] [--services]` (docs/cli.md): the config as tierdown
 * runs it — every `${VAR}` replaced, every default filled in, each service's
 * steps, signal, timeouts and worst-case budget, the stop waves and the
 * worst-case shutdown — as YAML, or JSON. Token files are named, never read.
 */
import { Document, isScalar, visit } from 'yaml';
import { TIMEOUT_KEYS, type Timeouts } from '../../machines/timeouts.js';
import { durationText, serviceNamesIn, type ResolvedConfig, type ResolvedService, type ResolvedTier } from '../config/index.js';
import { parseCommandArgs } from './args.js';
import { EXIT, line, type CliIO } from './io.js';
import { loadCommandConfig } from './load-config.js';
import { stopBudget } from './stop-budget.js';

// Each timeout where a file sets it: `timeouts.<name>`, except the stop command's (`stop.timeout`).
function timeoutsText(timeouts: Timeouts): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const row of TIMEOUT_KEYS) {
    const ms = timeouts[row.key];
    if (row.file[0] === 'timeouts' && ms !== undefined) shown[row.file[1]] = durationText(ms);
  }
  return shown;
}

function tierText(tier: ResolvedTier) {
  return { ...(tier.auto ? { auto: true } : {}), steps: tier.steps, signal: tier.signal, timeouts: timeoutsText(tier.timeouts) };
}

function readyText(ready: ResolvedService['ready']) {
  if (ready.kind === 'started') return 'started';
  const what = ready.kind === 'http' ? { http: ready.url } : ready.kind === 'tcp' ? { tcp: true } : { notify: true };
  return { ...what, timeout: durationText(ready.timeoutMs) };
}

function healthcheckText(check: ResolvedService['healthcheck']) {
  if (!check) return undefined;
  const { probe } = check;
  const what = probe.kind === 'http' ? { http: probe.url } : probe.kind === 'tcp' ? { tcp: true } : { command: probe.command };
  return {
    ...what,
    interval: durationText(check.intervalMs),
    timeout: durationText(check.timeoutMs),
    retries: check.retries,
    start_period: durationText(check.startPeriodMs),
  };
}

/**
 * The resolved config as one plain object: the file's keys, filled in, plus
 * what tierdown works out. Keys left undefined (a remote service's `cwd`) are
 * left out by both YAML and JSON.
 */
export function resolvedView(config: ResolvedConfig) {
  const { planned, budgetOf, waves, worst } = stopBudget(config);
  const services = config.services.map((service, index) => {
    const plan = planned[index];
    const shutdown = { url: service.shutdownUrl, tokenFile: service.tokenFile, ...service.tls };
    const local = service.command !== undefined;
    const shown = {
      command: service.command,
      cwd: local ? service.cwd : undefined,
      env: local ? service.env : undefined,
      port: service.port,
      url: service.url,
      user: service.runAs && (service.runAs.user ?? service.runAs.uid),
      group: service.runAs?.gid,
      tier: service.tier.name,
      steps: plan.steps,
      signal: local ? plan.signal : undefined,
      timeouts: timeoutsText(plan.timeouts),
      budget: durationText(budgetOf(service.name)),
      depends_on: service.dependsOn,
      shutdown: Object.values(shutdown).some((value) => value !== undefined) ? shutdown : undefined,
      stop: service.stop && { command: service.stop.command, timeout: durationText(plan.timeouts.command ?? 0) },
      ready: readyText(service.ready),
      restart: { policy: service.restart.policy, max_restarts: service.restart.maxRestarts, backoff: durationText(service.restart.backoffMs) },
      healthcheck: healthcheckText(service.healthcheck),
      required: service.required,
    };
    return [service.name, shown] as const;
  });
  return {
    version: 1,
    on_failure: config.onFailure,
    tiers: Object.fromEntries(Object.values(config.tiers).map((tier) => [tier.name, tierText(tier)])),
    services: Object.fromEntries(services),
    stop_waves: waves,
    worst_case_shutdown: durationText(worst.total),
  };
}

// Lists of plain values on one line (`[node, api.js]`), as a config is written; everything else in blocks.
function yamlText(value: unknown, comment: string): string {
  const document = new Document(value);
  visit(document, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  document.commentBefore = comment;
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export async function config(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, 'config');
  if (values.services) {
    for (const name of await serviceNamesIn(values.config, io.cwd)) line(io.stdout, name);
    return EXIT.ok;
  }
  const resolved = await loadCommandConfig(values, io);
  const view = resolvedView(resolved);
  if (values.json) line(io.stdout, JSON.stringify({ source: resolved.source, ...view }, null, 2));
  else io.stdout.write(yamlText(view, ` ${resolved.source}, resolved: \${VAR} replaced, defaults filled in (see 'tierdown help config')`));
  return EXIT.ok;
}
