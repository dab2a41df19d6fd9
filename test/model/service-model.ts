/**
 * The service statechart as a test model. Paths are enumerated by @xstate/graph
 * from `idle` to every final state of the machine, for each tier configuration
 * the runtime can give it (the input comes from the runtime's own planning of a
 * one-service config, so the model sees exactly the steps the engine would run).
 *
 * What the outside world can do is the `events` function below. Its rules are
 * the runtime's contract, not the machine's:
 * - a process exit is PROCESS_EXITED alone (the watcher's event when nothing of
 *   the service is left at its main's exit); a group that outlives its main
 *   (MAIN_EXITED, then PROCESS_EXITED once it is gone) is walked on the machine
 *   below and run for real in test/actors/process/watch.test.ts, not a path;
 * - a remote service has no process events; only it hears its URL's probes,
 *   and a URL that went silent stays silent (URL_SILENT until it is gone;
 *   an answer in between is replayed below, not walked);
 * - `auto` probes its shutdown URL while starting, so SHUTDOWN_URL_PROBED comes first, once;
 * - HTTP answers that take the same transition are one edge (`notAccepted`);
 *   which real answer stands for it rotates over the paths (404, 500, 401,
 *   reset, 418, 405, 501) so each is produced for real somewhere; a stop
 *   command that did not succeed is one edge too (`failed`), produced in turn
 *   by a non-zero exit and by a program that does not exist.
 */
import { getSimplePaths } from '@xstate/graph';
import { __unsafe_getAllOwnEventDescriptors, createActor, fromCallback, fromPromise, type AnyEventObject } from 'xstate';
import {
  serviceMachine,
  type CommandOutcome,
  type CommandResult,
  type HttpOutcome,
  type HttpResult,
  type HttpShutdownInput,
  type ServiceContext,
  type ServiceMachineInput,
  type StopCommandInput,
} from '../../machines/service.js';
import type { ServiceState } from '../../machines/types.js';
import { serviceInput } from '../../machines/service-input.js';
import { resolveConfig } from '../../src/config/index.js';
import { plannedService } from '../../src/engine/plan.js';
import { CoverageCollector } from './coverage.js';

/** Custom tiers, chosen so that together with the built-in ones every transition is reachable. */
export const CUSTOM_TIERS = {
  handoff: { steps: ['http', 'forceKill'] },
  interrupt: { steps: ['sigterm'], signal: 'SIGINT' },
  last_resort: { steps: ['forceKill'] },
  // The stop command first (PostgreSQL's pg_ctl), and after a failed shutdown request.
  stop_command: { steps: ['command', 'sigterm', 'forceKill'] },
  handoff_command: { steps: ['http', 'command', 'forceKill'] },
};

/** Tiers whose services need a `stop.command`. */
export const usesCommand = (tier: string) => tier === 'stop_command' || tier === 'handoff_command';

export interface ModelConfig {
  id: string;
  tier: string;
  local: boolean;
  onFailure: 'escalate' | 'rollback';
  input: ServiceMachineInput;
}

function modelConfig(tier: string, local: boolean, onFailure: ModelConfig['onFailure'] = 'escalate'): ModelConfig {
  const stop = usesCommand(tier) ? { stop: { command: ['stop'] } } : {};
  const service = local
    ? { command: ['service'], port: 9, tier, ...stop }
    : { url: 'http://127.0.0.1:9', tier, shutdown: { tokenFile: 'token' }, ...stop };
  const config = resolveConfig({ version: 1, tiers: CUSTOM_TIERS, services: { svc: service } });
  const planned = plannedService(config.services[0], config.tiers);
  const id = `${tier}/${local ? 'local' : 'remote'}${onFailure === 'rollback' ? '/rollback' : ''}`;
  // As the orchestrator builds it (machines/service-input.ts).
  const input: ServiceMachineInput = serviceInput(planned, local ? 1 : null, onFailure);
  return { id, tier, local, onFailure, input };
}

/**
 * Every built-in tier and the custom ones, local and remote where the config
 * allows it and the input differs (a remote service keeps only `http`: handoff
 * is critical there, and a remote `simple` or `interrupt` service is a config
 * error), and `on_failure: rollback` where it changes the machine.
 */
export const MODEL_CONFIGS: ModelConfig[] = [
  modelConfig('critical', true),
  modelConfig('simple', true),
  modelConfig('auto', true),
  modelConfig('handoff', true),
  modelConfig('interrupt', true),
  modelConfig('last_resort', true),
  modelConfig('stop_command', true),
  modelConfig('handoff_command', true),
  modelConfig('handoff_command', false),
  modelConfig('critical', false),
  modelConfig('auto', false),
  modelConfig('critical', true, 'rollback'),
  modelConfig('critical', false, 'rollback'),
];

/** What the `auto` probe gets for each choice: tierdown/service's 405 to a GET, or a plain server's 404. */
export const AUTO_PROBE: Record<'critical' | 'simple', number> = { critical: 405, simple: 404 };

const httpDone = (outcome: HttpOutcome) => ({ type: 'xstate.done.actor.httpShutdown', output: { outcome, status: null, detail: outcome } });
const NOT_ACCEPTED: HttpOutcome = 'missing';
export const commandDone = (outcome: CommandOutcome) => ({
  type: 'xstate.done.actor.runStopCommand',
  output: { outcome, exitCode: outcome === 'succeeded' ? 0 : null, detail: outcome },
});

type Snapshot = { value: unknown; context: ServiceContext; status: string };

function eventsFor(config: ModelConfig) {
  const auto = config.tier === 'auto';
  return (snapshot: Snapshot): AnyEventObject[] => {
    const { context } = snapshot;
    if (auto && context.detail === null) {
      return (['critical', 'simple'] as const).map((choice) => ({ type: 'SHUTDOWN_URL_PROBED', url: 'http://127.0.0.1:9/shutdown', status: AUTO_PROBE[choice] }));
    }
    if (context.silentProbes > 0) return [{ type: 'URL_SILENT' }];
    return __unsafe_getAllOwnEventDescriptors(snapshot as never).flatMap((type: string): AnyEventObject[] => {
      if (type === 'SHUTDOWN_URL_PROBED' || type === 'MAIN_EXITED' || type === 'URL_ANSWERED') return [];
      if (type === 'PROCESS_EXITED') return config.local ? [{ type, exitCode: 0, signal: null }] : [];
      if (type === 'URL_SILENT') return config.local ? [] : [{ type }];
      if (type === 'xstate.done.actor.httpShutdown') {
        const outcomes: HttpOutcome[] = config.input.haltOnRefusal ? ['accepted', 'rejected', NOT_ACCEPTED] : ['accepted', NOT_ACCEPTED];
        return outcomes.map(httpDone);
      }
      if (type === 'xstate.done.actor.runStopCommand') return (['succeeded', 'failed'] as const).map(commandDone);
      return [{ type }];
    });
  };
}

export interface ModelStep {
  from: ServiceState;
  event: AnyEventObject;
  to: ServiceState;
}

export interface ModelPath {
  config: ModelConfig;
  /** e.g. `critical/local #7`. */
  id: string;
  steps: ModelStep[];
  /** The report's `path` the runtime must produce. */
  states: ServiceState[];
  reasons: string[];
  /** `crashed`: it ended before it was asked (the runner kills it with SIGUSR2, a crash). */
  outcome: 'stopped' | 'failed' | 'crashed';
  detail: string | null;
  /** Coverage keys of the transitions this path takes. */
  transitions: string[];
}

// Replays events on the pure machine (no actor does anything, no timer can fire)
// to read the context they lead to and the transitions they take.
const inert = serviceMachine.provide({
  actors: {
    httpShutdown: fromPromise<HttpResult, HttpShutdownInput>(() => new Promise(() => {})),
    runStopCommand: fromPromise<CommandResult, StopCommandInput>(() => new Promise(() => {})),
    watchUrl: fromCallback(() => {}),
    watchProcess: fromCallback(() => {}),
  },
});
const NEVER = { http: 1e9, exit: 1e9, sigterm: 1e9, kill: 1e9, command: 1e9 };

export function replay(input: ServiceMachineInput, events: AnyEventObject[], coverage = new CoverageCollector()) {
  const transitions: string[] = [];
  const actor = createActor(inert, { input: { ...input, timeouts: NEVER }, inspect: (event) => void transitions.push(...coverage.inspect(event)) });
  actor.start();
  for (const event of events) actor.send(event as never);
  const snapshot = actor.getSnapshot();
  actor.stop();
  return { snapshot, transitions };
}

const HTTP_ANSWERS: HttpOutcome[] = ['missing', 'rejected', 'unauthorized', 'unreachable', 'error'];
const COMMAND_FAILURES: CommandOutcome[] = ['failed', 'notFound'];

/** Enumerates every config's paths; `coverage` collects the transitions they take. */
export function generateServicePaths(coverage: CoverageCollector): ModelPath[] {
  let rotation = 0;
  const paths: ModelPath[] = [];
  for (const config of MODEL_CONFIGS) {
    const found = getSimplePaths(serviceMachine, {
      input: config.input,
      events: eventsFor(config) as never,
      serializeState: (snapshot) => {
        const { value, context } = snapshot as unknown as Snapshot;
        // The steps and whether a detail was recorded tell an `auto` service before and after resolution apart;
        // the probes a remote one left unanswered tell how close it is to gone.
        return JSON.stringify([value, context.steps, context.detail !== null, context.silentProbes]);
      },
      toState: (snapshot) => snapshot.status === 'done',
    });
    for (const path of found) {
      // Under rollback only a refusal changes the machine; every other path is the escalate config's.
      const refused = path.steps.some(({ event }) => (event as { output?: { outcome?: string } }).output?.outcome === 'rejected');
      if (config.onFailure === 'rollback' && !refused) continue;
      // A representative "not accepted" answer becomes a concrete one, in rotation.
      const events = path.steps.slice(1).map(({ event }) => {
        const answer = event as AnyEventObject & { output?: { outcome: HttpOutcome } };
        if (answer.output?.outcome !== NOT_ACCEPTED) return answer;
        const pool = config.input.haltOnRefusal ? HTTP_ANSWERS.filter((outcome) => outcome !== 'rejected') : HTTP_ANSWERS;
        return httpDone(pool[rotation++ % pool.length]);
      });
      const realEvents = events.map((event) => {
        const result = event as AnyEventObject & { output?: { outcome: CommandOutcome } };
        return result.output?.outcome === 'failed' && result.type.endsWith('runStopCommand') ? commandDone(COMMAND_FAILURES[rotation++ % 2]) : event;
      });
      const { snapshot, transitions } = replay(config.input, realEvents, coverage);
      const context = snapshot.context;
      const states = ['idle', ...context.transitions.map((transition) => transition.to)] as ServiceState[];
      let from: ServiceState = 'idle';
      const steps = realEvents.map((event, index) => {
        const to = path.steps[index + 1].state.value as ServiceState;
        const step = { from, event, to };
        from = to;
        return step;
      });
      if (steps.at(-1)?.to !== states.at(-1)) throw new Error(`replay of ${config.id} does not end where the model does`);
      paths.push({
        config,
        id: `${config.id} #${paths.filter((known) => known.config === config).length + 1}`,
        steps,
        states,
        reasons: context.transitions.map((transition) => transition.reason),
        outcome: states.at(-1) === 'failed' ? 'failed' : states.length === 2 && states[0] === 'idle' ? 'crashed' : 'stopped',
        detail: context.detail,
        transitions,
      });
    }
  }
  return paths;
}
