/**
 * Where the orchestrator's service machines live (docs/how-it-works.md, "Where the
 * time of a stop goes"): in groups of `GROUP_SIZE`, each group a child of the
 * orchestrator, each service machine a child of its group. XState copies a
 * parent's `children` object once for each child it stops, and stops every
 * child when the parent ends; with 1000 service machines as the orchestrator's
 * own children, a 1000-entry object was copied 1000 times at the end of a run
 * (and grown one copy per spawn at its start): ~150 ms of CPU and ~50 MB of
 * garbage at the end of every 1000-service stop. In groups each copy is of at
 * most 32.
 *
 * A group decides nothing: it spawns the machine it is told to, passes events
 * down to its machines, and passes what they tell (`SERVICE_ENDED`) up.
 */
import { assertEvent, enqueueActions, sendParent, setup, stopChild, type AnyActorRef } from 'xstate';
import { serviceMachine, type ServiceEnded, type ServiceEvent, type ServiceMachineInput } from './service.js';

/** Service machines per group: the copies XState makes stay small, and so does the orchestrator's own `children`. */
export const GROUP_SIZE = 32;

/** The actor id of the group that holds the service machine of plan slot `slot`. */
export const groupId = (slot: number) => `group:${Math.floor(slot / GROUP_SIZE)}`;

/** The ids of the groups a plan of `services` services needs. */
export const groupIds = (services: number) => Array.from({ length: Math.ceil(services / GROUP_SIZE) }, (_, group) => groupId(group * GROUP_SIZE));

export type ServiceGroupEvent =
  /** (Re)spawns a service machine: one already there under `id` is stopped first. */
  | { type: 'SPAWN_SERVICE'; id: string; systemId: string; input: ServiceMachineInput }
  /** Sends `event` to each of these machines of the group. */
  | { type: 'TELL_SERVICES'; ids: string[]; event: ServiceEvent }
  | ServiceEnded;

export const serviceGroupMachine = setup({
  types: {
    events: {} as ServiceGroupEvent,
  },
  actors: {
    service: serviceMachine,
  },
  actions: {
    spawnService: enqueueActions(({ event, enqueue }) => {
      assertEvent(event, 'SPAWN_SERVICE');
      enqueue(stopChild(event.id));
      enqueue.spawnChild('service', { id: event.id, systemId: event.systemId, input: event.input });
    }),
    tellServices: enqueueActions(({ event, enqueue }) => {
      assertEvent(event, 'TELL_SERVICES');
      for (const id of event.ids) enqueue.sendTo(id, event.event);
    }),
    tellParent: sendParent(({ event }) => {
      assertEvent(event, 'SERVICE_ENDED');
      return event;
    }),
  },
}).createMachine({
  id: 'serviceGroup',
  on: {
    SPAWN_SERVICE: { actions: 'spawnService' },
    TELL_SERVICES: { actions: 'tellServices' },
    SERVICE_ENDED: { actions: 'tellParent' },
  },
});

/** What the group holding a service machine is, seen from the orchestrator's snapshot. */
interface GroupRef {
  getSnapshot(): { children: Record<string, AnyActorRef | undefined> };
}

/** The service machine of plan slot `slot` (actor id `id`), found in its group; undefined when it has none. */
export function serviceActorIn(children: Record<string, GroupRef | AnyActorRef | undefined>, slot: number, id: string): AnyActorRef | undefined {
  const group: GroupRef | undefined = children[groupId(slot)];
  return group?.getSnapshot().children[id];
}
