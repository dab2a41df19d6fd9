// An in-memory world for START (a start of some services on a running stack):
// each service is spawned and becomes ready at once, unless `behaviour` says
// it is slow, never ready, cannot be spawned or dies before it is ready. A
// stop signal ends a process at once. No process, no timer beyond `slowMs`.
import { fromCallback, fromPromise } from 'xstate';
import { composeOrchestrator, type StartEvent, type Verdict } from '../../machines/compose.js';
import type { PlannedService } from '../../machines/orchestrator.js';
import { serviceMachine, type ServiceEvent } from '../../machines/service.js';
import type { Step } from '../../machines/types.js';

export type Behaviour = 'ready' | 'slow' | 'neverReady' | 'spawnFails' | 'dies';

const timeouts = { http: 1000, exit: 1000, sigterm: 1000, kill: 1000 };

export const planned = (name: string, dependsOn: string[] = []): PlannedService => ({
  name,
  tier: 'simple',
  steps: ['sigterm', 'forceKill'] as Step[],
  signal: 'SIGTERM',
  timeouts,
  local: true,
  dependsOn,
});

/** `behaviour(name, start)`: how the `start`-th start (from 1) of `name` goes. */
export function startWorld(behaviour: (name: string, start: number) => Behaviour, slowMs = 30) {
  const exits = new Map<string, (event: ServiceEvent) => void>();
  const starts = new Map<string, number>();
  const exit = (name: string, signal: string | null, exitCode: number | null = null) =>
    setTimeout(() => exits.get(name)?.({ type: 'PROCESS_EXITED', exitCode, signal }), 1);
  let pid = 100;
  return composeOrchestrator({
    service: serviceMachine.provide({
      actions: { sendStopSignal: ({ context }) => void exit(context.name, 'SIGTERM'), killProcessTree: ({ context }) => void exit(context.name, 'SIGKILL') },
      actors: { watchProcess: fromCallback<ServiceEvent, { name: string; pid: number | null }>(({ sendBack, input }) => void exits.set(input.name, sendBack)) },
    }),
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack, input }) => {
      const timers: ReturnType<typeof setTimeout>[] = [];
      const later = (ms: number, event: StartEvent) => timers.push(setTimeout(() => sendBack(event), ms));
      let slowest = 0;
      for (const name of input.names) {
        const count = (starts.get(name) ?? 0) + 1;
        starts.set(name, count);
        const how = behaviour(name, count);
        if (how === 'spawnFails') {
          sendBack({ type: 'START_FAILED', name, message: 'spawn failed', exitedBeforeReady: false });
          return () => timers.forEach(clearTimeout);
        }
        sendBack({ type: 'SERVICE_SPAWNED', name, pid: pid++ });
        if (how === 'neverReady') {
          later(5, { type: 'START_FAILED', name, message: 'not ready in time', exitedBeforeReady: false });
          return () => timers.forEach(clearTimeout);
        }
        if (how === 'dies') {
          exit(name, null, 1);
          later(5, { type: 'START_FAILED', name, message: 'exited (code 1) before it was ready', exitedBeforeReady: true });
          return () => timers.forEach(clearTimeout);
        }
        if (how === 'slow') slowest = slowMs;
      }
      for (const name of input.names) later(slowest, { type: 'SERVICE_READY', name, checked: true });
      later(slowest, { type: 'WAVE_READY' });
      return () => timers.forEach(clearTimeout);
    }),
    verifyServices: fromPromise<Record<string, Verdict>, { names: string[] }>(async ({ input }) =>
      Object.fromEntries(input.names.map((name) => [name, { verified: true }])),
    ),
  });
}
