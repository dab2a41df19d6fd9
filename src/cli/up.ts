/**
 * `tierdown up`: start everything in dependency order, stream logs, and on
 * SIGINT/SIGTERM run the tiered shutdown; a second SIGINT forces, a third
 * exits at once (SPEC §6). Exit status comes from the final report.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ShutdownReport } from '../../machines/types.js';
import { loadConfig } from '../config/index.js';
import { createOrchestrator, StartError, type Orchestrator } from '../engine/orchestrator.js';
import { COMMON_OPTIONS, parseCommandArgs, parseFailurePolicy, parseOrder } from './args.js';
import { listenForControl } from './control/server.js';
import { EXIT, line, type CliIO } from './io.js';
import { startObservers } from './observers.js';
import { handleStopSignals } from './signal-ladder.js';
import { writeReport } from './report-file.js';
import { attachView } from './view/index.js';
import { parseGrace } from './grace.js';
import { attachOutside } from './outside.js';

export const UP_HELP = `Usage: tierdown up [-c FILE] [--report FILE] [--json] [--order dependency|none]
                   [--on-failure escalate|rollback] [--ui [PORT]] [--inspect [PORT]]
                   [--grace DURATION] [--health [HOST:]PORT]

Starts every service in dependency order, waits for readiness and streams
their logs. On Ctrl-C (SIGINT) or SIGTERM it shuts the stack down tiered;
a second Ctrl-C sends everything still running to SIGKILL; a third exits at once.

--grace DURATION (or TIERDOWN_GRACE): the time the outside world gives a stop;
budgets shrink to fit it and what is left is forced a margin before its end.
--health [HOST:]PORT: GET /healthz, 200 while every service runs, else 503.
Under systemd (NOTIFY_SOCKET), tierdown sends READY=1, STATUS=, STOPPING=1.

Exit status: 0 all stopped, 1 any failed (or rolled back), 2 bad config.`;

/**
 * Resolves with the report of the run's last stop, once nothing is left
 * running — or after a rollback, when `endsRun` says the run is over.
 */
function finalReport(stack: Orchestrator, endsRun: (report: ShutdownReport) => boolean): Promise<ShutdownReport> {
  return new Promise((resolve) => {
    stack.subscribe((event) => {
      if (event.type === 'report' && (stack.finished || (event.report.outcome === 'rolledBack' && endsRun(event.report)))) {
        resolve(event.report);
      }
      // Everything exited by itself: nothing left to supervise, so close the run.
      // Only a service ending on its own (idle → stopped) can make that true outside a stop.
      const exitedByItself = event.type === 'transition' && event.from === 'idle' && event.to === 'stopped';
      if (exitedByItself && !stack.finished && stack.status().every((row) => row.state === 'stopped' || row.state === 'failed')) {
        void stack.shutdown();
      }
    });
  });
}

export async function up(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, COMMON_OPTIONS);
  if (values.help) return line(io.stdout, UP_HELP), EXIT.ok;
  const order = parseOrder(values.order);
  const onFailure = parseFailurePolicy(values['on-failure']);
  const config = await loadConfig(values.config, io.cwd);
  // --inspect must be listening before the engine exists; --ui attaches to it.
  const observers = await startObservers(values);
  const graceMs = parseGrace(values.grace, io.env);
  const stack = createOrchestrator(config, { order, onFailure, inspect: observers.inspect, graceMs });
  const view = attachView(stack, io, { json: values.json ?? false });
  const outside = await attachOutside(stack, { config, order, graceMs, health: values.health, env: io.env, note: (text) => view.note(text) });
  await observers.attach(stack, (text) => view.note(text));
  // `tierdown down` reaches this run through a socket named after the config file.
  // Who asked for the current stop: a rollback ends `up` only when its own signal asked.
  let askedBy: 'signal' | 'down' = 'signal';
  const control = await listenForControl(stack, {
    env: io.env,
    onRequest: (services) => {
      askedBy = 'down';
      view.note(`tierdown down: ${services.length ? `stopping ${services.join(', ')} and ${services.length > 1 ? 'their' : 'its'} dependents` : 'shutting down tiered'}`);
    },
  });

  const signals = handleStopSignals(stack, (text) => {
    askedBy = 'signal';
    view.note(text);
  });
  // A stack of remote services holds no handle of its own; keep the engine up until the end.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const ended = finalReport(stack, () => {
    if (askedBy === 'down') {
      // `down` carries the rolledBack status; this run keeps supervising the restored stack.
      view.note('rolled back: the stack is running again — Ctrl-C to shut down');
      signals.reset();
      return false;
    }
    // The stop this run was asked for ended rolledBack (SPEC §4): the run ends, the stack stays up.
    const logDir = mkdtempSync(path.join(tmpdir(), 'tierdown-logs-'));
    const left = stack.detach(logDir);
    view.note(`rolled back: left running ${left.map(({ name, pid }) => `${name} (pid ${pid})`).join(', ') || 'nothing'}; their output now goes to ${logDir}`);
    return true;
  });
  let startFailed = false;
  try {
    await stack.start();
    view.note(`all ${config.services.length} services ready — Ctrl-C to shut down tiered`);
    outside.ready();
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    // A stop asked for mid-start is no failure: the report decides the status.
    startFailed = !error.interrupted;
    view.note(`start failed: ${error.message} — stopping what was started`);
  }
  const report = await ended;
  await outside.close();
  await observers.close();
  await control.close();
  clearInterval(keepAlive);
  signals.dispose();
  view.close();
  if (values.report) await writeReport(values.report, report, io.cwd);
  return startFailed || report.outcome !== 'stopped' ? EXIT.failed : EXIT.ok;
}
