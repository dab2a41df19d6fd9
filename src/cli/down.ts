/**
 * `tierdown down [SERVICE...]`: asks the `up` running the same config to shut
 * down — everything, or SERVICE... and whatever depends on them — and follows
 * that stop to its end with the same view and exit status as `up` (docs/cli.md).
 * `tierdown stop SERVICE...` is the same stop, with at least one name (stop.ts).
 */
import { loadCommandConfig, unknownServicesStatus } from './load-config.js';
import { parseCommandArgs, parseFailurePolicy } from './args.js';
import { connectToUp, type RemoteStack } from './control/client.js';
import { ControlError } from './control/errors.js';
import { socketPath } from './control/paths.js';
import { EXIT, line, stopStatus, type CliIO, type Command } from './io.js';

export const down: Command = (argv, io) => followStop('down', argv, io);

/** `down` and `stop`: one stop, asked of the running `up` and followed to its end; `stop` must name a service. */
export async function followStop(command: 'down' | 'stop', argv: string[], io: CliIO): Promise<number> {
  const { values, positionals: services } = parseCommandArgs(argv, command);
  const onFailure = parseFailurePolicy(values['on-failure']);
  const config = await loadCommandConfig(values, io);
  const unknown = unknownServicesStatus(command, config, services, io, command === 'stop');
  if (unknown !== undefined) return unknown;
  // The view, the page and the report writer load once a stack answers: a command that finds none
  // (exit 3) never needs them, and it is the one people run in loops (docs/how-it-works.md, "Starting the CLI").
  if (values.report) (await import('./report-file.js')).checkReportPath(values.report, io.cwd);

  let remote: RemoteStack;
  try {
    remote = await connectToUp(socketPath(config.source, io.env), config.source);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    line(io.stderr, `tierdown ${command}: ${error.message}`);
    // A socket that is not safely ours is an error (1), not "nothing runs" (3): a stack may
    // well be running, and someone is trying to answer for it.
    if (error.code === 'TIERDOWN_CONTROL_PATH_UNSAFE') return EXIT.failed;
    line(io.stderr, `Start the stack with 'tierdown up${values.config ? ` -c ${values.config}` : ''}' first.`);
    return EXIT.notRunning;
  }
  const [{ attachView, wantsLiveView }, { startObservers }, { writeReport }, { withPlan }] = await Promise.all([
    import('./view/index.js'),
    import('./observers.js'),
    import('./report-file.js'),
    import('../engine/report-plan.js'),
  ]);
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
    if (error.code === 'TIERDOWN_UNKNOWN_SERVICE') return line(io.stderr, `tierdown ${command}: ${error.message}`), EXIT.badConfig;
    line(io.stderr, `tierdown ${command}: ${error.message}`);
    return EXIT.failed;
  }
}
