/**
 * For paths the runtime cannot produce: the service machine runs on its own,
 * with real timers, against an in-memory world that behaves as the path's
 * behaviour says (a process that obeys its stop signal or not, SIGKILL that
 * works or not) — and with the one defect the runtime never has, an
 * httpShutdown actor that rejects.
 */
import { createActor, fromCallback, fromPromise, toPromise } from 'xstate';
import { serviceMachine, type HttpResult, type HttpShutdownInput, type ServiceEvent, type ServiceOutput } from '../../machines/service.js';
import type { ServiceState } from '../../machines/types.js';
import type { Behaviour } from './behaviour.js';

export async function runOnMachine(behaviour: Behaviour): Promise<ServiceState[]> {
  const { input } = behaviour.path.config;
  let processEvents: ((event: ServiceEvent) => void) | undefined;
  const exit = (signal: string | null) =>
    setTimeout(() => {
      processEvents?.({ type: 'MAIN_EXITED', exitCode: null, signal });
      processEvents?.({ type: 'PROCESS_EXITED', exitCode: null, signal });
    }, 1);
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
      awaitUrlDown: fromPromise<void, { name: string }>(() => new Promise(() => {})),
      watchProcess: fromCallback(({ sendBack }) => {
        processEvents = sendBack as (event: ServiceEvent) => void;
      }),
    },
  });
  const actor = createActor(machine, { input: { ...input, timeouts: behaviour.timeouts } });
  let forced = false;
  actor.subscribe((snapshot) => {
    if (snapshot.status !== 'active' || forced || behaviour.forceIn !== snapshot.value) return;
    forced = true;
    actor.send({ type: 'FORCE' });
  });
  actor.start();
  // What the runtime tells an idle machine before the stop (the `auto` choice).
  for (const { event } of behaviour.path.steps) if (event.type === 'TIER_RESOLVED') actor.send(event as ServiceEvent);
  actor.send({ type: 'SHUTDOWN' });
  const output = (await toPromise(actor)) as ServiceOutput;
  return ['idle', ...output.transitions.map((transition) => transition.to)];
}
