/**
 * For paths the runtime cannot produce: the service machine runs on its own,
 * with real timers, against an in-memory world that behaves as the path's
 * behaviour says (a process that obeys its stop signal or not, SIGKILL that
 * works or not) — and with the one defect the runtime never has, an
 * httpShutdown (and runStopCommand) actor that rejects.
 */
import { createActor, fromCallback, fromPromise, toPromise } from 'xstate';
import {
  serviceMachine,
  type CommandResult,
  type HttpResult,
  type HttpShutdownInput,
  type ServiceEvent,
  type ServiceOutput,
  type StopCommandInput,
} from '../../machines/service.js';
import type { ServiceState } from '../../machines/types.js';
import type { Behaviour } from './behaviour.js';

export async function runOnMachine(behaviour: Behaviour): Promise<ServiceState[]> {
  const { input } = behaviour.path.config;
  let processEvents: ((event: ServiceEvent) => void) | undefined;
  const exit = (signal: string | null) =>
    setTimeout(() => {
      processEvents?.({ type: 'PROCESS_EXITED', exitCode: null, signal });
    }, 1);
  const commandRejects = behaviour.path.steps.some(({ event }) => event.type === 'xstate.error.actor.runStopCommand');
  const machine = serviceMachine.provide({
    actions: {
      sendStopSignal: () => {
        if (!behaviour.env.FIX_SIGTERM && !behaviour.env.FIX_SIGINT) exit(input.signal);
      },
      killProcessTree: () => {
        if (!behaviour.freeze) exit('SIGKILL');
      },
    },
    actors: {
      httpShutdown: fromPromise<HttpResult, HttpShutdownInput>(async () => {
        throw new Error('defective actor');
      }),
      // Defective only where the path says so; elsewhere it ends as the behaviour's command does.
      runStopCommand: fromPromise<CommandResult, StopCommandInput>(async () => {
        if (commandRejects) throw new Error('defective actor');
        if (behaviour.stop === 'hang') return new Promise<CommandResult>(() => {});
        const outcome = behaviour.stop === 'succeed' ? 'succeeded' : 'failed';
        return { outcome, exitCode: outcome === 'succeeded' ? 0 : 1, detail: outcome };
      }),
      // A remote service that leaves while awaited: its URL goes silent, probe after probe.
      watchUrl: fromCallback<ServiceEvent, { name: string }>(({ sendBack }) => {
        if (behaviour.exitIn !== 'awaitingExit' || input.pid !== null) return undefined;
        const timer = setInterval(() => sendBack({ type: 'URL_SILENT' }), 1);
        return () => clearInterval(timer);
      }),
      watchProcess: fromCallback(({ sendBack }) => {
        processEvents = sendBack as (event: ServiceEvent) => void;
      }),
    },
  });
  const actor = createActor(machine, { input: { ...input, timeouts: behaviour.timeouts } });
  let forced = false;
  let exited = false;
  actor.subscribe((snapshot) => {
    // A local service that leaves by itself in the state its path says (a remote one: watchUrl above).
    if (snapshot.status === 'active' && !exited && input.pid !== null && behaviour.exitIn === snapshot.value) {
      exited = true;
      exit(null);
    }
    if (snapshot.status !== 'active' || forced || behaviour.forceIn !== snapshot.value) return;
    forced = true;
    actor.send({ type: 'FORCE' });
  });
  actor.start();
  // What the runtime tells an idle machine before the stop (what the `auto` probe got).
  for (const { event } of behaviour.path.steps) if (event.type === 'SHUTDOWN_URL_PROBED') actor.send({ type: 'SHUTDOWN_URL_PROBED', url: event.url, status: event.status });
  actor.send({ type: 'SHUTDOWN' });
  const output = (await toPromise(actor)) as ServiceOutput;
  return ['idle', ...output.transitions.map((transition) => transition.to)];
}
