/**
 * `tierdown start SERVICE...`: asks the running `up` for the same config to
 * start those services — and what they depend on — where they are not
 * running, dependencies first, each waiting for readiness (docs/cli.md). The
 * same request serves `up [-d] [SERVICE...]` on a stack that already runs:
 * it starts what is missing and returns, as compose's `up -d` does.
 */
import type { ResolvedConfig } from '../config/types.js';
import { loadCommandConfig, unknownServicesStatus } from './load-config.js';
import { parseCommandArgs } from './args.js';
import { ControlError } from './control/errors.js';
import { socketPath } from './control/paths.js';
import { openConversation } from './control/request.js';
import { EXIT, line, type CliIO } from './io.js';
import { printStatusRows } from './ps.js';

export interface StartAsked {
  /** The command as the user typed it, for messages (`start`, `up`, `up -d`). */
  command: string;
  json: boolean;
  /** Print the stack's status rows once it is up (`up`'s summary). */
  summary: boolean;
}

/**
 * Starts what is missing of `services` (none: of every service) in the stack
 * that runs for `config`, and says what it started. The socket is trusted only
 * as `down` trusts it (docs/security.md#control-socket-trust).
 *
 * @returns the exit status: 0 all up, 1 a service did not start, 2 an unknown
 *   name (the running `up` may hold an older config), 3 no stack runs.
 */
export async function startInRunningStack(config: ResolvedConfig, services: string[], io: CliIO, asked: StartAsked): Promise<number> {
  const say = (text: string) => line(io.stderr, `tierdown ${asked.command}: ${text}`);
  try {
    const conversation = await openConversation(socketPath(config.source, io.env), config.source);
    // Loaded once a stack answers: with none (exit 3) the view is never needed (as in down.ts).
    const { attachView } = await import('./view/index.js');
    // The start's own events (spawned, ready, a failure); the stack's log lines stay in `tierdown logs`.
    const view = attachView({ subscribe: (listener) => conversation.subscribe((event) => event.type !== 'log' && listener(event)), status: () => conversation.status() }, io, { json: asked.json });
    const result = await conversation.ask({ type: 'start', services }).finally(() => view.close());
    const started = result.started ?? [];
    const named = services.length ? services.join(', ') : 'every service';
    if (!asked.json) line(io.stdout, started.length ? `tierdown: started ${started.join(', ')}` : `tierdown: nothing to start: ${named} already running`);
    if (asked.summary && !asked.json && result.status) printStatusRows(result.status, io);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    say(error.message);
    if (error.code === 'TIERDOWN_NOT_RUNNING') return EXIT.notRunning;
    return error.code === 'TIERDOWN_UNKNOWN_SERVICE' ? EXIT.badConfig : EXIT.failed;
  }
}

/**
 * `up` on a stack that already runs for this config: its `up` starts what is
 * missing; this one prints the summary and returns — the stack stays the
 * running `up`'s (its logs: 'tierdown logs -f').
 */
export async function joinRunningStack(config: ResolvedConfig, services: string[], io: CliIO, options: { command: string; json: boolean; ignored: string[] }): Promise<number> {
  line(io.stderr, `tierdown ${options.command}: a stack already runs for ${config.source}: starting what is missing of ${services.length ? services.join(', ') : 'it'}`);
  if (options.ignored.length) line(io.stderr, `tierdown ${options.command}: not applied, they belong to the up that runs the stack: ${options.ignored.map((flag) => `--${flag}`).join(', ')}`);
  return startInRunningStack(config, services, io, { command: options.command, json: options.json, summary: true });
}

/** `up`'s flags that shape the run itself: on a stack that already runs, they are not applied. */
export const RUN_FLAGS = ['report', 'order', 'on-failure', 'ui', 'ui-keep', 'inspect', 'grace', 'health'] as const;

export async function start(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals: services } = parseCommandArgs(argv, 'start');
  const config = await loadCommandConfig(values, io);
  const unknown = unknownServicesStatus('start', config, services, io, true);
  if (unknown !== undefined) return unknown;
  const status = await startInRunningStack(config, services, io, { command: 'start', json: false, summary: false });
  if (status === EXIT.notRunning) line(io.stderr, `Start the stack with 'tierdown up${values.config ? ` -c ${values.config}` : ''}' first.`);
  return status;
}
