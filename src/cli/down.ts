/**
 * `tierdown down [SERVICE...]`: asks the `up` running the same config to shut
 * down — everything, or SERVICE... and whatever depends on them — and follows
 * that stop to its end with the same view and exit status as `up` (docs/cli.md).
 */
import { loadConfig } from '../config/index.js';
import { checkServiceNames, UnknownServiceError } from '../engine/service-names.js';
import { COMMON_OPTIONS, parseCommandArgs, parseFailurePolicy } from './args.js';
import { connectToUp, type RemoteStack } from './control/client.js';
import { ControlError } from './control/errors.js';
import { socketPath } from './control/paths.js';
import { EXIT, line, stopStatus, type CliIO } from './io.js';
import { startObservers } from './observers.js';
import { checkReportPath, writeReport } from './report-file.js';
import { withPlan } from './report-plan.js';
import { attachView, wantsLiveView } from './view/index.js';

export const DOWN_HELP = `Usage: tierdown down [SERVICE...] [-c FILE] [--report FILE] [--json] [--ui [PORT]]
                     [--on-failure escalate|rollback] [--force]

Asks the running 'tierdown up' for the same config file to shut the stack
down tiered, and follows the stop to its end. With SERVICE names, stops those
services and everything that depends on them, in the same waves, and leaves
the rest running ('up' keeps supervising it). Ctrl-C stops following; the
shutdown goes on.

--on-failure escalate: this stop escalates even if the run rolls back refused
stops (a service that always refuses); --force: every service straight to
SIGKILL, as a second Ctrl-C of 'up' does.

Exit status (as up's Ctrl-C would): 0 all stopped, 1 any failed or crashed (or
rolled back) or an unsafe control socket, 2 bad config or unknown service,
3 no 'up' running for this config.`;

const DOWN_OPTIONS = {
  config: COMMON_OPTIONS.config,
  report: COMMON_OPTIONS.report,
  json: COMMON_OPTIONS.json,
  ui: COMMON_OPTIONS.ui,
  'on-failure': COMMON_OPTIONS['on-failure'],
  force: { type: 'boolean' },
  help: COMMON_OPTIONS.help,
} as const;

export async function down(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals: services } = parseCommandArgs(argv, DOWN_OPTIONS);
  if (values.help) return line(io.stdout, DOWN_HELP), EXIT.ok;
  const onFailure = parseFailurePolicy(values['on-failure']);
  const config = await loadConfig(values.config, io.cwd);
  try {
    checkServiceNames(config, services);
  } catch (error) {
    if (!(error instanceof UnknownServiceError)) throw error;
    return line(io.stderr, `tierdown down: ${error.message}`), EXIT.badConfig;
  }
  if (values.report) checkReportPath(values.report, io.cwd);

  let remote: RemoteStack;
  try {
    remote = await connectToUp(socketPath(config.source, io.env), config.source);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    line(io.stderr, `tierdown down: ${error.message}`);
    // A socket that is not safely ours is an error (1), not "nothing runs" (3): a stack may
    // well be running, and someone is trying to answer for it.
    if (error.code === 'TIERDOWN_CONTROL_PATH_UNSAFE') return EXIT.failed;
    line(io.stderr, `Start the stack with 'tierdown up${values.config ? ` -c ${values.config}` : ''}' first.`);
    return EXIT.notRunning;
  }
  const json = values.json ?? false;
  const view = attachView(remote, io, { json });
  // --ui: the live page follows the same stop, from this moment on.
  const observers = await startObservers({ ui: values.ui });
  await observers.attach({ config, subscribe: (listener) => remote.subscribe(listener), status: () => remote.status() }, (text) => view.note(text));
  try {
    const status = (!json && wantsLiveView(io)) || values.ui !== undefined;
    const report = await remote.shutdown(services, { status, onFailure, force: values.force === true }).finally(() => observers.close());
    if (report.services.length === 0) view.note('nothing to stop: already stopped');
    view.close();
    if (values.report) await writeReport(values.report, withPlan(report, config), io.cwd);
    return stopStatus(report);
  } catch (error) {
    view.close();
    if (!(error instanceof ControlError)) throw error;
    // `up` may run an older copy of the config: it has the last word on names.
    if (error.code === 'TIERDOWN_UNKNOWN_SERVICE') return line(io.stderr, `tierdown down: ${error.message}`), EXIT.badConfig;
    line(io.stderr, `tierdown down: ${error.message}`);
    return EXIT.failed;
  }
}
