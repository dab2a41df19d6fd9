// The statecharts' own CPU for a stop of N services, with no processes at all (bench/README.md, round 6):
// the engine's machines with stand-in effects — a SIGTERM is a note, each asked service "exits" one timer
// turn later (PROCESS_EXITED, as the watcher says it), verification passes — from SHUTDOWN to the report.
// Prints CPU and wall of the stop (median of RUNS fresh actors in one process, after one warm-up stop).
import { createActor, fromCallback, fromPromise } from 'xstate';
// usage: npm run build && node --expose-gc bench/ab/stop-machines.mjs ROOT N [RUNS] — alternate two ROOTs for an A/B pair.
const [root, nArg = '1000', runsArg = '5'] = process.argv.slice(2);
const { composeOrchestrator } = await import(`${root}/dist/machines/compose.js`);
const { serviceMachine } = await import(`${root}/dist/machines/service.js`);
const { orchestratorInput } = await import(`${root}/dist/src/engine/plan.js`);
const { resolveConfig } = await import(`${root}/dist/src/index.js`);
const { tierdownConfig } = await import(`${root}/dist/bench/services.js`);
const n = Number(nArg);
const input = orchestratorInput(resolveConfig(tierdownConfig(n, 'cooperative'), '<bench>', '/tmp'));

function machine() {
  const exits = new Map();
  const service = serviceMachine.provide({
    actions: { sendStopSignal: ({ context }) => setTimeout(() => exits.get(context.name)?.(), 0) },
    actors: {
      watchProcess: fromCallback(({ sendBack, input: { name } }) => {
        exits.set(name, () => sendBack({ type: 'PROCESS_EXITED', exitCode: 0, signal: null }));
        return () => exits.delete(name);
      }),
    },
  });
  return composeOrchestrator({
    service,
    startWave: fromCallback(({ sendBack, input: { names } }) => {
      for (const name of names) {
        sendBack({ type: 'SERVICE_SPAWNED', name, pid: 1 });
        sendBack({ type: 'SERVICE_READY', name, checked: false });
      }
      sendBack({ type: 'WAVE_READY' });
    }),
    verifyServices: fromPromise(async ({ input: { names } }) => Object.fromEntries(names.map((name) => [name, { verified: true }]))),
  });
}

async function stopOnce() {
  const actor = createActor(machine(), { input });
  const started = new Promise((resolve) => actor.on('STARTED', resolve));
  const reported = new Promise((resolve) => actor.on('REPORT', resolve));
  actor.start();
  await started;
  // Each stop starts from a collected heap: the earlier runs' garbage is not this one's to pay.
  globalThis.gc?.();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  actor.send({ type: 'SHUTDOWN' });
  const { report } = await reported;
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  actor.stop();
  if (report.outcome !== 'stopped') throw new Error(`outcome ${report.outcome}`);
  return { cpu: (c.user + c.system) / 1000, wall };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
await stopOnce();
const runs = [];
for (let i = 0; i < Number(runsArg); i += 1) runs.push(await stopOnce());
console.log(JSON.stringify({ root, n, cpu: +median(runs.map((r) => r.cpu)).toFixed(1), wall: +median(runs.map((r) => r.wall)).toFixed(1), cpus: runs.map((r) => Math.round(r.cpu)) }));
