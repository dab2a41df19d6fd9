/**
 * The first stop in a fresh engine runs XState's transition code and the
 * machines' own actions, guards and report for the first time: interpreted,
 * with cold inline caches, several ms slower than every later stop. So while
 * the real services start, the engine runs the same statecharts once, start
 * to report, on stand-ins: one per kind of service in the config (local or
 * remote, its tier's steps), a second depending on the first so a wave is
 * planned. Every decision is still the machines' own; only the effects are
 * stand-ins (no process, no signal, no HTTP), and the actor is stopped after.
 * The first start() resolves only once it has reported: a stack that starts
 * faster than the warm-up runs (one service: a few ms) would otherwise get its
 * first stop while the warm-up still holds the CPU — the stop's SIGTERM then
 * waited for it, 1-30 ms late on a loaded machine (issue 22, bench/README.md).
 */
import { createActor, fromCallback, fromPromise } from 'xstate';
import { composeOrchestrator, type StartEvent, type Verdict } from '../../machines/compose.js';
import type { OrchestratorInput, PlannedService } from '../../machines/types.js';
import { serviceMachine, type HttpResult, type HttpShutdownInput, type ServiceEvent } from '../../machines/service.js';
import type { ShutdownReport } from '../../machines/types.js';

// Never signalled or read: every effect of the warm-up is a stand-in.
const STAND_IN_PID = 2 ** 22 + 1;

function standIns(services: PlannedService[]): PlannedService[] {
  const kinds = new Map<string, PlannedService>();
  for (const service of services) kinds.set(`${service.local}:${service.steps.join(',')}`, service);
  const first = [...kinds.values()];
  // The same kinds again, each depending on the first: a second stop wave.
  return [...first, ...first].map((service, index) => ({
    ...service,
    name: `warm-up-${index}`,
    dependsOn: index >= first.length ? ['warm-up-0'] : [],
  }));
}

/** Resolves true once the stand-ins' stop has reported (false: it did not in `timeoutMs`, or failed). */
export async function warmMachines(input: OrchestratorInput, timeoutMs = 2000): Promise<boolean> {
  const asked = new Set<string>();
  const ask = ({ context }: { context: { name: string } }) => void asked.add(context.name);
  const service = serviceMachine.provide({
    actions: { sendStopSignal: ask, killProcessTree: ask },
    actors: {
      httpShutdown: fromPromise<HttpResult, HttpShutdownInput>(async ({ input: { name } }) => {
        asked.add(name);
        return { outcome: 'accepted', status: 202, detail: 'warm-up' };
      }),
      // A remote stand-in has gone at once: its URL never answers.
      watchUrl: fromCallback<ServiceEvent, { name: string }>(({ sendBack }) => {
        const timer = setInterval(() => sendBack({ type: 'URL_SILENT' }), 1);
        return () => clearInterval(timer);
      }),
      // Exits once asked, as a cooperative process does; seen by polling, as the real watcher does.
      watchProcess: fromCallback<ServiceEvent, { name: string; pid: number | null }>(({ sendBack, input: { name, pid } }) => {
        if (pid === null) return undefined;
        const timer = setInterval(() => {
          if (!asked.has(name)) return;
          clearInterval(timer);
          // Nothing left of it: PROCESS_EXITED alone, as the watcher says it (src/actors/process/watch.ts).
          sendBack({ type: 'PROCESS_EXITED', exitCode: 0, signal: null });
        }, 1);
        return () => clearInterval(timer);
      }),
    },
  });
  const machine = composeOrchestrator({
    service,
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack, input: { names } }) => {
      for (const name of names) {
        sendBack({ type: 'SERVICE_SPAWNED', name, pid: planned.find((entry) => entry.name === name)?.local ? STAND_IN_PID : null });
        sendBack({ type: 'SERVICE_READY', name, checked: false });
      }
      sendBack({ type: 'WAVE_READY' });
    }),
    verifyServices: fromPromise<Record<string, Verdict>, { names: string[] }>(async ({ input: { names } }) => Object.fromEntries(names.map((name) => [name, { verified: true }]))),
  });
  const planned = standIns(input.services);
  if (!planned.length) return false;
  const actor = createActor(machine, { input: { ...input, services: planned } });
  const reported = new Promise<ShutdownReport | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    actor.on('REPORT', ({ report }) => {
      clearTimeout(timer);
      resolve(report);
    });
  });
  try {
    actor.start();
    actor.send({ type: 'SHUTDOWN' });
    return (await reported)?.outcome === 'stopped';
  } catch {
    // A failed warm-up only leaves the first stop as slow as it would have been.
    return false;
  } finally {
    actor.stop();
  }
}
