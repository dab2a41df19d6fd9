// Generated from the service statechart (test/model/service-model.ts): every
// path from idle to a final state, for every tier configuration, is run against
// the real runtime — createOrchestrator, a real fixture process shaped for the
// path, real HTTP on 127.0.0.1, real signals — and the report must follow the
// model state by state, with the same reasons and the very same transitions.
// Paths the runtime cannot produce are run on the machine alone and say why.
// Prints how many paths were generated and the transition coverage, and fails
// if any transition of the service machine is left uncovered.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serviceMachine } from '../../machines/service.js';
import { createFreezer } from '../helpers/freezer.js';
import { processLedger } from '../helpers/processes.js';
import { waitUntil } from '../helpers/wait.js';
import { readProc } from '../../src/actors/process/proc-table.js';
import { behaviourOf, PROBED_SHORT_MS, type Behaviour } from './behaviour.js';
import { CoverageCollector } from './coverage.js';
import { runOnMachine } from './machine-world.js';
import { runBatch, type PathRun } from './runner.js';
import { generateServicePaths, MODEL_CONFIGS, replay, type ModelPath } from './service-model.js';

const BATCH_SIZE = 24;
const PARALLEL_BATCHES = 2;

const modelCoverage = new CoverageCollector();
const runtimeCoverage = new CoverageCollector();
const paths = generateServicePaths(modelCoverage);
const freezer = createFreezer('model');
const behaviours = paths.map((path) => {
  const behaviour = behaviourOf(path);
  if (behaviour.freeze && !freezer.available && !behaviour.modelOnly) {
    behaviour.modelOnly = 'an unkillable process needs the cgroup v1 freezer, which is not writable here';
  }
  return behaviour;
});
const ledger = processLedger();
const runs = new Map<ModelPath, PathRun>();

const running = (pid: number) => {
  const entry = readProc(pid);
  return entry !== undefined && entry.state !== 'Z';
};

const chunk = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

beforeAll(async () => {
  const real = behaviours.filter((behaviour) => !behaviour.modelOnly);
  const rollback = real.filter((behaviour) => behaviour.path.config.onFailure === 'rollback');
  const escalate = real.filter((behaviour) => behaviour.path.config.onFailure === 'escalate');
  // A batch lasts as long as its slowest path: the few that wait out an `auto` service's
  // http budget (PROBED_SHORT_MS) share batches, queued first, so that wait is paid once
  // beside the other batches rather than once in each batch they would be spread over.
  const waitsOutProbe = (behaviour: Behaviour) => behaviour.timeouts.http === PROBED_SHORT_MS;
  const batchesOf = (forced: boolean, slow: boolean) =>
    chunk(escalate.filter((behaviour) => Boolean(behaviour.forceIn) === forced && waitsOutProbe(behaviour) === slow), BATCH_SIZE).map((batch) => ({ behaviours: batch, forced }));
  // Rollback ends a whole stop, so each such path gets a stack of its own.
  const batches: { behaviours: Behaviour[]; forced: boolean }[] = [
    ...batchesOf(false, true),
    ...batchesOf(true, true),
    ...batchesOf(false, false),
    ...batchesOf(true, false),
    ...rollback.map((behaviour) => ({ behaviours: [behaviour], forced: false })),
  ];
  const world = { ledger, freezer, coverage: runtimeCoverage };
  const queue = [...batches];
  const worker = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const results = await runBatch(batch.behaviours, world, { forced: batch.forced });
      batch.behaviours.forEach((behaviour, index) => runs.set(behaviour.path, results[index]));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
  // Only to catch a hang: beside two busy loops on a loaded machine the batches took 116 s.
}, 300_000);

afterAll(async () => {
  // Failed paths leave their (frozen) process running, as reported; the test ends them here.
  const started = ledger.pids();
  ledger.killAll();
  await freezer.remove();
  await waitUntil(() => started.every((pid) => !running(pid))).catch(() => undefined);
  const survivors = started.filter(running);
  const modelOnly = behaviours.filter((behaviour) => behaviour.modelOnly);
  const perConfig = MODEL_CONFIGS.map((config) => `${config.id} ${paths.filter((path) => path.config === config).length}`).join(', ');
  const model = modelCoverage.report(serviceMachine);
  const runtime = runtimeCoverage.report(serviceMachine);
  const reasons = [...new Set(modelOnly.map((behaviour) => behaviour.modelOnly))].join('; ');
  process.stdout.write(
    [
      `service machine: ${paths.length} paths generated (${perConfig})`,
      `service machine: ${paths.length - modelOnly.length} run against real processes, ${modelOnly.length} model-only (${reasons})`,
      `service machine coverage by generated paths: states ${model.states}, transitions ${model.transitions}`,
      `service machine coverage by the real runs: states ${runtime.states}, transitions ${runtime.transitions}${runtime.missed.length ? ` (not produced: ${runtime.missed.join('; ')})` : ''}`,
      survivors.length ? `LEAKED processes: ${survivors.join(' ')}` : 'no process left running',
      '',
    ].join('\n'),
  );
  expect(survivors).toEqual([]);
});

// The model's HTTP answers, stop command endings and auto choice are stand-ins; the facts the machine itself writes must match exactly.
const normalDetail = (detail: string | null | undefined) =>
  detail
    ?.replace(/shutdown request: [^;]*/, 'shutdown request: …')
    .replace(/stop command: [^;]*/, 'stop command: …')
    .replace(/^auto[^;]*/, 'auto: …') ?? null;

// A remote service's URL answers (or not) as often as it is probed, which no path can fix in
// advance: the probes that only count are left out; the one that makes it gone stays in.
const PROBE_COUNT = /\|URL_ANSWERED\|0$|\|URL_SILENT\|1$/;
const moves = (transitions: string[]) => transitions.filter((key) => !PROBE_COUNT.test(key));

for (const config of MODEL_CONFIGS) {
  describe(`${config.id} tier`, () => {
    for (const behaviour of behaviours.filter((candidate) => candidate.path.config === config)) {
      const { path } = behaviour;
      const title = `${path.id}: ${path.states.join(' → ')} (${path.reasons.join(', ')})`;
      if (behaviour.modelOnly) {
        it(`${title} — model only: ${behaviour.modelOnly}`, async () => {
          expect(await runOnMachine(behaviour)).toEqual(path.states);
        });
        continue;
      }
      it(title, () => {
        const run = runs.get(path);
        expect(run?.service).toBeDefined();
        const service = run!.service!;
        expect(service.path).toEqual(path.states);
        // Reasons and detail together: a reason that differs shows the detail that says why.
        const reasons = service.transitions.map((transition) => transition.reason);
        expect({ reasons, detail: normalDetail(service.detail) }).toEqual({ reasons: path.reasons, detail: normalDetail(path.detail) });
        expect(service.outcome).toBe(path.outcome);
        expect(service.verified).toBe(path.outcome !== 'failed');
        expect(moves(run!.transitions)).toEqual(moves(path.transitions));
      });
    }
  });
}

// EXTEND_TIMEOUT (sd_notify's EXTEND_TIMEOUT_USEC) loops a waiting state on itself, which
// simple paths never take; it runs for real in test/notify/sd-notify.test.ts, and here on the machine.
describe('EXTEND_TIMEOUT', () => {
  const configOf = (id: string) => MODEL_CONFIGS.find((config) => config.id === id)!;
  it('re-enters sigterm and awaitingExit without leaving the step', () => {
    const extend = { type: 'EXTEND_TIMEOUT', ms: 1000 };
    const accepted = { type: 'xstate.done.actor.httpShutdown', output: { outcome: 'accepted', status: 202, detail: 'HTTP 202' } };
    const inSigterm = replay(configOf('simple/local').input, [{ type: 'SHUTDOWN' }, extend], modelCoverage);
    expect(inSigterm.snapshot.value).toBe('sigterm');
    const inAwaiting = replay(configOf('critical/local').input, [{ type: 'SHUTDOWN' }, accepted, extend], modelCoverage);
    expect(inAwaiting.snapshot.value).toBe('awaitingExit');
    expect(inAwaiting.snapshot.context.transitions.map((transition) => transition.reason)).toEqual(['SHUTDOWN', 'HTTP_ACCEPTED', 'EXTEND_TIMEOUT']);
  });
});

// The watcher says MAIN_EXITED only when something of the service outlives its main process
// (test/actors/process/watch.test.ts runs that for real); the machine keeps the exit status
// and does not stop: its step's timer still leads on, and only PROCESS_EXITED ends it.
describe('a group outliving its main process', () => {
  const simple = () => MODEL_CONFIGS.find((candidate) => candidate.id === 'simple/local')!;
  const mainExited = { type: 'MAIN_EXITED', exitCode: null, signal: 'SIGTERM' };
  const processExited = { type: 'PROCESS_EXITED', exitCode: null, signal: 'SIGTERM' };
  it('stays in sigterm on MAIN_EXITED and is stopped by PROCESS_EXITED', () => {
    const waiting = replay(simple().input, [{ type: 'SHUTDOWN' }, mainExited], modelCoverage);
    expect(waiting.snapshot.value).toBe('sigterm');
    expect(waiting.snapshot.context.exitSignal).toBe('SIGTERM');
    const gone = replay(simple().input, [{ type: 'SHUTDOWN' }, mainExited, processExited], modelCoverage);
    expect(gone.snapshot.value).toBe('stopped');
    expect(gone.snapshot.context.transitions.map((transition) => transition.reason)).toEqual(['SHUTDOWN', 'PROCESS_EXITED']);
  });
  it('goes on to forceKill when its sigterm timer ends first', () => {
    const killed = replay(simple().input, [{ type: 'SHUTDOWN' }, mainExited, { type: 'xstate.done.actor.sigtermTimeout' }, processExited], modelCoverage);
    expect(killed.snapshot.context.transitions.map((transition) => transition.to)).toEqual(['sigterm', 'forceKill', 'stopped']);
  });
});

// A remote service is gone after enough unanswered probes in a row; an answer starts the count
// over. The paths walk silence only (a URL once silent stays silent); the answer runs here.
describe('a remote service awaited by its URL', () => {
  it('has gone only after several silent probes in a row', () => {
    const config = MODEL_CONFIGS.find((candidate) => candidate.id === 'critical/remote')!;
    const accepted = { type: 'xstate.done.actor.httpShutdown', output: { outcome: 'accepted', status: 202, detail: 'HTTP 202' } };
    const silent = { type: 'URL_SILENT' };
    const answered = { type: 'URL_ANSWERED' };
    const interrupted = replay(config.input, [{ type: 'SHUTDOWN' }, accepted, silent, silent, answered, silent, silent], modelCoverage);
    expect(interrupted.snapshot.value).toBe('awaitingExit');
    const gone = replay(config.input, [{ type: 'SHUTDOWN' }, accepted, silent, silent, answered, silent, silent, silent], modelCoverage);
    expect(gone.snapshot.value).toBe('stopped');
    expect(gone.snapshot.context.transitions.at(-1)?.reason).toBe('URL_DOWN');
  });
});

it('covers every transition and state of the service machine', () => {
  const { missed, missedStates } = modelCoverage.report(serviceMachine);
  expect(missed).toEqual([]);
  expect(missedStates).toEqual([]);
});
