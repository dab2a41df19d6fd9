/**
 * The run's machines put together with their effects: the orchestrator, the
 * stop and the supervisor all start services through the same start sequence,
 * whose `startWave` actor (and the service machine, and the verifier) the
 * engine supplies. The one place a caller — the engine, the warm-up, a test —
 * plugs effects into the composed charts.
 */
import { healthMachine } from './health.js';
import { orchestratorMachine, type ExitNotice } from './orchestrator.js';
import type { serviceMachine } from './service.js';
import { serviceGroupMachine } from './service-group.js';
import type { StartEvent } from './start-events.js';
import { startSequenceMachine } from './start-sequence.js';
import { stopMachine, type Verdict } from './stop.js';
import { supervisorMachine } from './supervisor.js';

/** What the engine tells observers of, as the orchestrator decides it. */
export interface Announcements {
  announceExit?: (notice: ExitNotice) => void;
  announceStartFailure?: (failure: { service: string; message: string }) => void;
  announceBackoff?: (notice: { service: string; backoffMs: number; restart: number }) => void;
  announceGiveUp?: (notice: { service: string; restarts: number }) => void;
  announceUnhealthy?: (notice: { service: string; failures: number; detail: string }) => void;
  announceHealthy?: (notice: { service: string }) => void;
}

type Provided<M extends { provide: (implementations: never) => unknown }> = NonNullable<Parameters<M['provide']>[0]>;
type StartWaveLogic = NonNullable<NonNullable<Provided<typeof startSequenceMachine>['actors']>['startWave']>;
type ProbeLogic = NonNullable<NonNullable<Provided<typeof healthMachine>['actors']>['probe']>;
type VerifyLogic = NonNullable<NonNullable<Provided<typeof stopMachine>['actors']>['verifyServices']>;

export interface Effects {
  /** The service machine with its effects (signals, HTTP, the process watcher) provided. */
  service: typeof serviceMachine;
  /** Spawns one wave and waits for its readiness, sending `StartEvent`s back. */
  startWave: StartWaveLogic;
  /** Verifies stopped services; absent: the stop's placeholder (nothing verified). */
  verifyServices?: VerifyLogic;
  /** One health check of a running service (`healthcheck:`); absent: the placeholder (always passes). */
  probe?: ProbeLogic;
  announce?: Announcements;
}

export type { StartEvent, Verdict };

export function composeOrchestrator(effects: Effects) {
  const startSequence = startSequenceMachine.provide({ actors: { startWave: effects.startWave } });
  const announce = effects.announce ?? {};
  return orchestratorMachine.provide({
    actions: {
      announceExit: (_, notice) => announce.announceExit?.(notice),
      announceStartFailure: (_, failure) => announce.announceStartFailure?.(failure),
      announceBackoff: (_, notice) => announce.announceBackoff?.(notice),
      announceGiveUp: (_, notice) => announce.announceGiveUp?.(notice),
      announceUnhealthy: (_, notice) => announce.announceUnhealthy?.(notice),
      announceHealthy: (_, notice) => announce.announceHealthy?.(notice),
    },
    actors: {
      serviceGroup: serviceGroupMachine.provide({ actors: { service: effects.service } }),
      startSequence,
      supervisor: supervisorMachine.provide({ actors: { startSequence } }),
      ...(effects.probe ? { health: healthMachine.provide({ actors: { probe: effects.probe } }) } : {}),
      stop: stopMachine.provide({ actors: { startSequence, ...(effects.verifyServices ? { verifyServices: effects.verifyServices } : {}) } }),
    },
  });
}
