/**
 * `tierdown up [SERVICE...]`: start everything (or SERVICE... and what they
 * depend on) in dependency order, stream logs, and on SIGINT/SIGTERM run the
 * tiered shutdown; a second SIGINT forces, a third exits at once (docs/cli.md).
 * Exit status comes from the final report. On a stack that already runs for
 * this config it starts what is missing there and returns (start.ts).
 */
import type { ShutdownReport } from '../../machines/types.js';
import { checkHost } from '../config/index.js';
import { loadCommandConfig } from './load-config.js';
import { createOrchestrator, StartError } from '../engine/orchestrator.js';
import { parseCommandArgs, parseFailurePolicy, parseOrder } from './args.js';
import { listenForControl } from './control/server.js';
import { probeSocket } from './control/client.js';
import { logsDir, socketPath } from './control/paths.js';
import { checkServiceNames } from '../engine/service-names.js';
import { joinRunningStack, RUN_FLAGS } from './start.js';
import { backgroundIo, notifyLauncher, upDetached } from './up-detached.js';
import { writeLogFiles } from './logs/files.js';
import { stopStatus, type CliIO } from './io.js';
import { startObservers } from './observers.js';
import { handleStopSignals } from '../engine/stop-signals.js';
import { checkReportPath, writeReport } from './report-file.js';
import { withPlan } from '../engine/report-plan.js';
import { attachView } from './view/index.js';
import { parseGrace } from './grace.js';
import { attachOutside } from './outside.js';

/** After a refused stop: who refused, and why (SPEC: the stack is never left unsupervised). */
function refusalNote(report: ShutdownReport): string {
  const refused = report.services.filter((service) => service.outcome === 'failed');
  const who = refused.map((service) => `${service.name}${service.detail ? ` (${service.detail})` : ''}`).join('; ') || 'a service';
  return `rolled back: ${who} refused to stop; the stack runs again and tierdown keeps supervising it — Ctrl-C or 'tierdown down' tries again`;
}

export async function up(argv: string[], launched: CliIO): Promise<number> {
  const { values, positionals: services } = parseCommandArgs(argv, 'up');
  if (values.detach) return upDetached(argv, launched);
  const io = backgroundIo(launched);
  const order = parseOrder(values.order);
  const onFailure = parseFailurePolicy(values['on-failure']);
  const config = await loadCommandConfig(values, io);
  // A name the config does not have: exit 2 (UnknownServiceError), before anything runs.
  checkServiceNames(config, services);
  // Idempotent, as compose's: a socket only this user could have made (probeSocket refuses any other).
  if ((await probeSocket(socketPath(config.source, io.env))) === 'live') {
    const ignored = RUN_FLAGS.filter((flag) => values[flag] !== undefined);
    return joinRunningStack(config, services, io, { command: 'up', json: values.json ?? false, ignored });
  }
  // A report that cannot be written must be found out before anything starts, not after the stop.
  if (values.report) checkReportPath(values.report, io.cwd);
  const graceMs = parseGrace(values.grace, io.env);
  checkHost(config);
  // --inspect must be listening before the engine exists; --ui attaches to it.
  const observers = await startObservers(values);
  const stack = createOrchestrator(config, { order, onFailure, inspect: observers.inspect, output: io.stdout, graceMs });
  const view = attachView(stack, io, { json: values.json ?? false });
  const outside = await attachOutside(stack, { config, order, graceMs, health: values.health, env: io.env, note: (text) => view.note(text) });
  await observers.attach(stack, (text) => view.note(text));
  // `tierdown down` reaches this run through a socket named after the config file.
  const control = await listenForControl(stack, {
    env: io.env,
    onRequest: (services) => {
      view.note(`tierdown down: ${services.length ? `stopping ${services.join(', ')} and ${services.length > 1 ? 'their' : 'its'} dependents` : 'shutting down tiered'}`);
    },
  });
  // After the control socket: a second `up` for the same config is refused before it touches the logs.
  notifyLauncher({ type: 'listening' });
  const logFiles = writeLogFiles(stack, logsDir(config.source, io.env));
  // The ladder starts again at the bottom after a refused stop: the next Ctrl-C tries again.
  const signals = handleStopSignals(stack, (text) => view.note(text));
  stack.subscribe((event) => {
    if (event.type === 'report' && event.report.outcome === 'rolledBack') view.note(refusalNote(event.report));
  });
  // A stack of remote services holds no handle of its own; keep the engine up until the end.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let startFailed = false;
  try {
    const started = await stack.start(services);
    // Command → every service ready, counted from this process's start (its time origin).
    const which = started.length === config.services.length ? `all ${started.length} services` : `${started.length} of ${config.services.length} services (${started.join(', ')})`;
    view.note(`${which} ready in ${Math.round(performance.now())} ms — Ctrl-C to shut down tiered`);
    notifyLauncher({ type: 'ready' });
    outside.ready();
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    // A stop asked for mid-start is no failure: the report decides the status.
    startFailed = !error.interrupted;
    view.note(`start failed: ${error.message} — stopping what was started`);
    notifyLauncher({ type: 'startFailed', message: error.message });
  }
  // The run ends in the statechart: stopped, or every service ended by itself and none comes back.
  const report = await stack.whenFinished();
  await outside.close();
  // --ui-keep: the page of the finished run stays up, as a replay, until closed (the report is written first).
  const keepPage = values['ui-keep'] && values.report ? writeReport(values.report, withPlan(report, config, onFailure), io.cwd) : undefined;
  if (values['ui-keep']) {
    signals.dispose(); // the run is over: Ctrl-C now only ends the wait
    await Promise.all([keepPage, observers.holdPage((text) => view.note(text), process.stdin.isTTY ? process.stdin : null)]);
  }
  await observers.close();
  await control.close();
  logFiles.close();
  clearInterval(keepAlive);
  signals.dispose();
  view.close();
  if (values.report && !keepPage) await writeReport(values.report, withPlan(report, config, onFailure), io.cwd);
  return stopStatus(report, { startFailed });
}
