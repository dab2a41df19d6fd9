/**
 * `tierdown restart SERVICE...`: asks the running `up` to stop those services
 * and everything that depends on them tiered, then start them again in
 * dependency order with readiness; follows it with the same view as `down`.
 * Exit status as `down`; 3 when no stack runs for this config.
 */
import { loadCommandConfig, unknownServicesStatus } from './load-config.js';
import { parseCommandArgs } from './args.js';
import { ControlError } from './control/errors.js';
import { socketPath } from './control/paths.js';
import { openConversation } from './control/request.js';
import { EXIT, line, stopStatus, type CliIO } from './io.js';

export async function restart(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals: services } = parseCommandArgs(argv, 'restart');
  const config = await loadCommandConfig(values, io);
  const unknown = unknownServicesStatus('restart', config, services, io, true);
  if (unknown !== undefined) return unknown;
  try {
    const conversation = await openConversation(socketPath(config.source, io.env), config.source);
    // Loaded once a stack answers: with none (exit 3) the view is never needed (as in down.ts).
    const { attachView } = await import('./view/index.js');
    const view = attachView(conversation, io, { json: values.json ?? false });
    const { report } = await conversation.ask({ type: 'restart', services }).finally(() => view.close());
    if (!report) return line(io.stderr, 'tierdown restart: the connection closed before the restart ended'), EXIT.failed;
    if (!values.json) line(io.stdout, `restarted ${services.join(', ')}${report.services.length > services.length ? ` (with dependents: ${report.services.map((service) => service.name).filter((name) => !services.includes(name)).join(', ')})` : ''}`);
    return stopStatus(report);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    line(io.stderr, `tierdown restart: ${error.message}`);
    if (error.code === 'TIERDOWN_NOT_RUNNING') return EXIT.notRunning;
    return error.code === 'TIERDOWN_UNKNOWN_SERVICE' ? EXIT.badConfig : EXIT.failed;
  }
}
