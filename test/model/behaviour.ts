/**
 * From a model path to the world that produces it: how the fixture process
 * behaves (env knobs of test/fixtures/service.mjs), what the service's shutdown
 * endpoint answers, which budgets are short (a state the path leaves by its
 * timeout) or long (one it leaves by an event), and what the test does at the
 * moment the service enters a state (make the process exit, call FORCE).
 *
 * The shutdown endpoint is played by the test (test/model/endpoint.ts) on
 * loopback rather than by the fixture, because some paths need an order the
 * process alone cannot guarantee: "exit while the request is pending" needs
 * the connection to outlive the process, "unkillable right after answering"
 * needs the freeze to happen before the answer leaves.
 */
import type { ServiceState, Timeouts } from '../../machines/types.js';
import type { CommandOutcome, HttpOutcome } from '../../machines/service.js';
import type { ModelPath } from './service-model.js';

export type HttpAnswer = 'accept' | 'hang' | 'reset' | number;
/** What the service's stop command does (see runner.ts for the argv of each). */
export type StopCommandBehaviour = 'succeed' | 'fail' | 'notFound' | 'hang';

export interface Behaviour {
  path: ModelPath;
  env: Record<string, string>;
  timeouts: Timeouts;
  /** What a GET on the shutdown URL gets (the `auto` probe); 404 when unset. */
  probe?: number;
  /** What POST /shutdown gets. */
  answer?: HttpAnswer;
  /** What the stop command does, for a tier with a `command` step. */
  stop?: StopCommandBehaviour;
  /** Make the process unkillable: once started, or just before the endpoint answers. */
  freeze?: 'atStart' | 'beforeAnswer';
  /** Make the process exit when the service enters this state (`idle`: before the stop). */
  exitIn?: ServiceState;
  /** Call FORCE once the service is in this state. */
  forceIn?: ServiceState;
  /** Why the runtime cannot produce this path, when it cannot. */
  modelOnly?: string;
}

/** A budget the path leaves by its timeout, and one it must never reach. */
export const SHORT_MS = 40;
export const LONG_MS = 20_000;
// Generous: the probe is answered by this test process, busy starting a whole batch
// (3 s was overrun beside two busy loops, and `auto` then chose simple).
export const PROBED_SHORT_MS = 10_000;

const MISSING = [404, 405, 501];
let missingRotation = 0;

function answerFor(outcome: HttpOutcome): HttpAnswer {
  switch (outcome) {
    case 'accepted':
      return 'accept';
    case 'missing':
      return MISSING[missingRotation++ % MISSING.length];
    case 'rejected':
      return 500;
    case 'unauthorized':
      return 401;
    case 'unreachable':
      return 'reset';
    case 'error':
      return 418;
  }
}

const timeoutOf: Record<string, keyof Timeouts> = {
  httpTimeout: 'http',
  exitTimeout: 'exit',
  sigtermTimeout: 'sigterm',
  killTimeout: 'kill',
  commandTimeout: 'command',
};

const STOP_BY_OUTCOME: Record<CommandOutcome, StopCommandBehaviour> = { succeeded: 'succeed', failed: 'fail', notFound: 'notFound' };

export function behaviourOf(path: ModelPath): Behaviour {
  const { config } = path;
  const behaviour: Behaviour = { path, env: {}, timeouts: { http: LONG_MS, exit: LONG_MS, sigterm: LONG_MS, kill: LONG_MS } };
  if (config.input.timeouts.command !== undefined) Object.assign(behaviour, { stop: 'hang', timeouts: { ...behaviour.timeouts, command: LONG_MS } });
  const ignoreStopSignal = () => {
    behaviour.env[config.input.signal === 'SIGINT' ? 'FIX_SIGINT' : 'FIX_SIGTERM'] = 'ignore';
  };
  for (const { from, event } of path.steps) {
    const type = event.type;
    if (type === 'SHUTDOWN_URL_PROBED') {
      behaviour.probe = event.status;
    } else if (type === 'FORCE') {
      behaviour.forceIn = from;
      if (from === 'httpShutdown') behaviour.answer = 'hang';
      if (from === 'sigterm') ignoreStopSignal();
    } else if (type === 'PROCESS_EXITED') {
      // In sigterm the stop signal ends it, in forceKill SIGKILL does; elsewhere it leaves by itself.
      if (from === 'idle' || from === 'awaitingExit') behaviour.exitIn = from;
      if (from === 'httpShutdown') Object.assign(behaviour, { exitIn: from, answer: 'hang' });
      // The command hangs (its default here) while the service leaves; leaving the state ends it.
      if (from === 'stopCommand') behaviour.exitIn = from;
    } else if (type === 'xstate.done.actor.httpShutdown') {
      behaviour.answer = answerFor((event.output as { outcome: HttpOutcome }).outcome);
    } else if (type === 'xstate.done.actor.runStopCommand') {
      behaviour.stop = STOP_BY_OUTCOME[(event.output as { outcome: CommandOutcome }).outcome];
    } else if (type === 'xstate.error.actor.runStopCommand') {
      behaviour.modelOnly = 'the real runStopCommand actor classifies every ending as an outcome and never rejects';
    } else if (type === 'URL_SILENT') {
      // The remote service goes away while awaited: its health URL stops answering, for good.
      behaviour.exitIn = 'awaitingExit';
    } else if (type === 'xstate.error.actor.httpShutdown') {
      behaviour.modelOnly = 'the real httpShutdown actor classifies every failure as an outcome and never rejects';
    } else if (type.startsWith('xstate.done.actor.') && type.slice('xstate.done.actor.'.length) in timeoutOf) {
      // A step's timer ran out (machines/step-timer.ts: its id is its delay's name).
      const delay = type.slice('xstate.done.actor.'.length);
      // The `auto` probe shares the http budget: it must still get its answer in time.
      const probed = delay === 'httpTimeout' && behaviour.probe !== undefined;
      behaviour.timeouts[timeoutOf[delay]] = probed ? PROBED_SHORT_MS : SHORT_MS;
      if (delay === 'httpTimeout') behaviour.answer = 'hang';
      if (delay === 'sigtermTimeout') ignoreStopSignal();
      if (delay === 'killTimeout') behaviour.freeze = behaviour.answer && behaviour.answer !== 'hang' ? 'beforeAnswer' : 'atStart';
    }
  }
  return behaviour;
}
