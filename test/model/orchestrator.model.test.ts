// Generated dependency graphs (test/model/graphs.ts, seeded) run through the
// real orchestrator with real fixture processes: each graph is stopped plainly,
// with FORCE in the middle of the shutdown, and with one service that cannot be
// killed. Waves and order must follow the graph (computed here, not by the
// engine's planner). A few fixed scenarios reach the rest of the parent
// statechart (partial stop, failed start, stop and FORCE while starting,
// rollback). Prints the graphs generated and the orchestrator's coverage.
import { afterAll, describe, expect, it } from '@jest/globals';
import { createActor, fromCallback, fromPromise, toPromise, waitFor } from 'xstate';
import { composeOrchestrator, type StartEvent, type Verdict } from '../../machines/compose.js';
import { orchestratorMachine, type OrchestratorEvent } from '../../machines/orchestrator.js';
import type { ProbeInput, ProbeResult } from '../../machines/health.js';
import { serviceMachine, type ServiceEvent } from '../../machines/service.js';
import { startSequenceMachine } from '../../machines/start-sequence.js';
import { stopMachine } from '../../machines/stop.js';
import { supervisorMachine } from '../../machines/supervisor.js';
import { readProc } from '../../src/actors/process/proc-table.js';
import { createOrchestrator, type Orchestrator, type ServiceReport, type ShutdownReport, type Step, type TierdownEvent } from '../../src/index.js';
import { createFreezer } from '../helpers/freezer.js';
import { quietPort } from '../helpers/ports.js';
import { processLedger } from '../helpers/processes.js';
import { endService, fixtureCommand, TEST_TIMING } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';
import { CoverageCollector } from './coverage.js';
import { planned, startWorld } from './start-world.js';
import { dependenciesOf, expectedStopWaves, generateGraph, withDependents, type Graph } from './graphs.js';

const SEEDS = [11, 23, 37, 58];
const graphs = SEEDS.map(generateGraph);
const coverage = new CoverageCollector();
const ledger = processLedger();
const freezer = createFreezer('orchestrator');
let runs = 0;

interface ServiceSpec {
  env?: Record<string, string>;
  tier?: string;
  timeouts?: Record<string, number>;
  command?: string[];
  ready?: boolean;
  restart?: unknown;
}

interface RunningStack {
  stack: Orchestrator;
  events: TierdownEvent[];
  pid: (name: string) => number;
  stateOf: (name: string) => string | undefined;
}

async function startStack(graph: Graph, specs: Record<string, ServiceSpec> = {}, options: { onFailure?: 'rollback'; start?: boolean } = {}) {
  runs += 1;
  const services: Record<string, unknown> = {};
  for (const node of graph.nodes) {
    const spec = specs[node.name] ?? {};
    const port = await quietPort();
    services[node.name] = {
      // Most services only run, get ready and take signals: the light fixture, unless a knob asks more.
      command: spec.command ?? fixtureCommand(spec.env),
      env: { FIX_PID_FILE: ledger.pidFile, PORT: String(port), ...spec.env },
      port,
      ...(spec.ready === false ? {} : { ready: { http: '/health' } }),
      tier: spec.tier ?? 'simple',
      timeouts: { http: 5000, exit: 5000, sigterm: 5000, kill: 5000, ...spec.timeouts },
      ...(node.dependsOn.length ? { depends_on: node.dependsOn } : {}),
      ...(spec.restart !== undefined ? { restart: spec.restart } : {}),
    };
  }
  const stack = createOrchestrator(
    { version: 1, on_failure: options.onFailure ?? 'escalate', services },
    { timing: TEST_TIMING, inspect: (event) => void coverage.inspect(event) },
  );
  const events: TierdownEvent[] = [];
  stack.subscribe((event) => events.push(event));
  if (options.start !== false) await stack.start();
  const running: RunningStack = {
    stack,
    events,
    pid: (name) => stack.status().find((row) => row.name === name)!.pid!,
    // The service statechart's state: `idle` until its stop asks it (docs/how-it-works.md).
    stateOf: (name) => {
      const row = stack.status().find((candidate) => candidate.name === name);
      return row?.stopState ?? (row?.state === 'stopped' ? 'stopped' : row?.state === 'failed' ? 'failed' : 'idle');
    },
  };
  return running;
}

const byName = (report: ShutdownReport) => new Map<string, ServiceReport>(report.services.map((service) => [service.name, service]));
const firstAt = (service: ServiceReport) => service.transitions[0].atMs;
const lastAt = (service: ServiceReport) => service.transitions.at(-1)!.atMs;

/** Each service was asked only after everything depending on it had ended. */
function expectDependencyOrder(graph: Graph, report: ShutdownReport) {
  const services = byName(report);
  for (const node of graph.nodes) {
    for (const dependency of node.dependsOn) {
      const [dependent, stopped] = [services.get(node.name), services.get(dependency)];
      if (dependent && stopped) expect(firstAt(stopped)).toBeGreaterThanOrEqual(lastAt(dependent));
    }
  }
}

/** Each service started only once everything it depends on was ready. */
function expectStartOrder(graph: Graph, events: TierdownEvent[]) {
  const at = (type: string, name: string) => events.findIndex((event) => event.type === type && 'service' in event && event.service === name);
  for (const node of graph.nodes) {
    for (const dependency of node.dependsOn) expect(at('spawned', node.name)).toBeGreaterThan(at('ready', dependency));
  }
}

/** The service nobody depends on with the most behind it: what it blocks is the largest. */
function blockingService(graph: Graph) {
  const top = expectedStopWaves(graph)[0];
  return top.reduce((best, name) => (dependenciesOf(graph, name).size > dependenciesOf(graph, best).size ? name : best));
}

/** Transitions no run of the engine can take, and why (printed, not hidden); each is driven on the machine alone below. */
const UNREACHABLE: Record<string, string> = {
  'verifying --error.actor:0--> reporting': 'verifyServices resolves a verdict for every service, it never rejects (model-only run)',
};

const paths = (report: ShutdownReport) => Object.fromEntries(report.services.map((service) => [service.name, service.path]));

afterAll(async () => {
  const started = ledger.pids();
  ledger.killAll();
  await freezer.remove();
  const running = (pid: number) => readProc(pid) !== undefined && readProc(pid)!.state !== 'Z';
  await waitUntil(() => !started.some(running)).catch(() => undefined);
  const machines = { orchestrator: orchestratorMachine, stop: stopMachine, 'start sequence': startSequenceMachine, supervisor: supervisorMachine };
  const reports = Object.entries(machines).map(([name, machine]) => ({ name, ...coverage.report(machine) }));
  process.stdout.write(
    [
      `orchestrator: ${graphs.length} dependency graphs generated (seeds ${SEEDS.join(', ')}): ${graphs.map((graph) => `${graph.nodes.length} services [${graph.shapes.join(' + ')}]`).join('; ')}`,
      `orchestrator: ${runs} real stacks run (3 per graph + fixed scenarios)`,
      ...reports.map(
        ({ name, states, transitions, missed }) =>
          `${name} machine coverage: states ${states}, transitions ${transitions}${missed.length ? ` (not reached: ${missed.map((text) => (UNREACHABLE[text] ? `${text} — ${UNREACHABLE[text]}` : text)).join('; ')})` : ''}`,
      ),
      '',
    ].join('\n'),
  );
  expect(started.filter(running)).toEqual([]);
  for (const { name, missed } of reports) expect([name, missed]).toEqual([name, []]);
});

/**
 * The orchestrator alone, with in-memory actors: every service's process ends `exitAfter`
 * the named action (its stop signal, or only SIGKILL), waves are ready at once or after
 * `readyAfterMs`, and the verifier throws when `brokenVerifier`.
 */
function inMemoryOrchestrator(options: { exitOn: 'sendStopSignal' | 'killProcessTree'; readyAfterMs?: number; brokenVerifier?: boolean }) {
  let exitOf: ((event: ServiceEvent) => void) | undefined;
  const signal = options.exitOn === 'sendStopSignal' ? 'SIGTERM' : 'SIGKILL';
  return composeOrchestrator({
    service: serviceMachine.provide({
      actions: { [options.exitOn]: () => setTimeout(() => exitOf?.({ type: 'PROCESS_EXITED', exitCode: null, signal }), 1) },
      actors: { watchProcess: fromCallback<ServiceEvent, { name: string; pid: number | null }>(({ sendBack }) => void (exitOf = sendBack)) },
    }),
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack, input }) => {
      for (const name of input.names) sendBack({ type: 'SERVICE_SPAWNED', name, pid: 1 });
      const ready = () => {
        for (const name of input.names) sendBack({ type: 'SERVICE_READY', name, checked: true });
        sendBack({ type: 'WAVE_READY' });
      };
      if (options.readyAfterMs === undefined) return void ready();
      const timer = setTimeout(ready, options.readyAfterMs);
      return () => clearTimeout(timer);
    }),
    verifyServices: fromPromise<Record<string, Verdict>, { names: string[] }>(async ({ input }) => {
      if (options.brokenVerifier) throw new Error('verifier broke');
      return Object.fromEntries(input.names.map((name) => [name, { verified: true }]));
    }),
  });
}

describe('model-only', () => {
  it('still reports, unverified, when verification itself fails', async () => {
    // One service whose process obeys SIGTERM, and a verifier that throws.
    const machine = inMemoryOrchestrator({ exitOn: 'sendStopSignal', brokenVerifier: true });
    const timeouts = { http: 1000, exit: 1000, sigterm: 1000, kill: 1000 };
    const actor = createActor(machine, {
      input: { services: [{ name: 'solo', tier: 'simple', steps: ['sigterm', 'forceKill'], signal: 'SIGTERM', timeouts, local: true, dependsOn: [] }], onFailure: 'escalate', order: 'dependency' },
      inspect: (event) => void coverage.inspect(event),
    }).start();
    actor.send({ type: 'SHUTDOWN' });
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.outcome).toBe('stopped');
    expect(report.services[0].verified).toBe(false);
  });
});

describe('model-only: restart', () => {
  it('restarts a service asked for while the stack is still starting, even when verification fails', async () => {
    // Ready a little after spawning: long enough to be asked for a restart mid-start.
    const machine = inMemoryOrchestrator({ exitOn: 'sendStopSignal', readyAfterMs: 20, brokenVerifier: true });
    // Budgets this test expects to be met: generous, so a loaded machine cannot turn the SIGTERM into a SIGKILL.
    const timeouts = { http: 10_000, exit: 10_000, sigterm: 10_000, kill: 10_000 };
    const reports: ShutdownReport[] = [];
    const actor = createActor(machine, {
      input: { services: [{ name: 'solo', tier: 'simple', steps: ['sigterm', 'forceKill'], signal: 'SIGTERM', timeouts, local: true, dependsOn: [] }], onFailure: 'escalate', order: 'dependency' },
      inspect: (event) => void coverage.inspect(event),
    });
    actor.on('REPORT', ({ report }) => void reports.push(report));
    actor.start();
    actor.send({ type: 'RESTART', services: ['solo'] });
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    expect(reports[0].services.map((service) => service.path)).toEqual([['idle', 'sigterm', 'stopped']]);
    actor.send({ type: 'SHUTDOWN' });
    const run = (await toPromise(actor)) as ShutdownReport;
    expect(run.earlier).toHaveLength(1);
  });
});

/**
 * db (SIGTERM and the first SIGKILL do nothing) and web (depends on db; obeys SIGTERM).
 * Started again after a rollback, web never becomes ready; verification takes `verifyMs`.
 */
function refusingWorld(verifyMs = 0) {
  const exits = new Map<string, (event: ServiceEvent) => void>();
  let dbKills = 0;
  let webStarts = 0;
  const exit = (name: string, signal: string) => setTimeout(() => exits.get(name)?.({ type: 'PROCESS_EXITED', exitCode: null, signal }), 1);
  return composeOrchestrator({
    service: serviceMachine.provide({
      actions: {
        sendStopSignal: ({ context }) => void (context.name === 'web' && exit('web', 'SIGTERM')),
        killProcessTree: ({ context }) => void ((context.name !== 'db' || dbKills++ > 0) && exit(context.name, 'SIGKILL')),
      },
      actors: { watchProcess: fromCallback<ServiceEvent, { name: string; pid: number | null }>(({ sendBack, input }) => void exits.set(input.name, sendBack)) },
    }),
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack, input }) => {
      for (const name of input.names) sendBack({ type: 'SERVICE_SPAWNED', name, pid: 1 });
      if (input.names.includes('web') && webStarts++ > 0) return;
      for (const name of input.names) sendBack({ type: 'SERVICE_READY', name, checked: true });
      sendBack({ type: 'WAVE_READY' });
    }),
    verifyServices: fromPromise<Record<string, Verdict>, { names: string[] }>(async ({ input }) => {
      await new Promise((resolve) => setTimeout(resolve, verifyMs));
      return Object.fromEntries(input.names.map((name) => [name, { verified: true }]));
    }),
  });
}

describe('model-only: FORCE after every service was dealt with', () => {
  const timeouts = { http: 10_000, exit: 10_000, sigterm: 20, kill: 20 };
  const plan = (name: string, dependsOn: string[] = []) => ({ name, tier: 'simple', steps: ['sigterm', 'forceKill'] as Step[], signal: 'SIGTERM', timeouts, local: true, dependsOn });
  const stopState = (actor: { getSnapshot(): { children: Record<string, { getSnapshot(): unknown } | undefined> } }) =>
    (actor.getSnapshot().children.stop?.getSnapshot() as { value?: unknown } | undefined)?.value;

  it('leaves a rollback\'s restore and stops what still runs next, forced', async () => {
    const actor = createActor(refusingWorld(), {
      input: { services: [plan('db'), plan('web', ['db'])], onFailure: 'rollback', order: 'dependency' },
      inspect: (event) => void coverage.inspect(event),
    }).start();
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'SHUTDOWN' });
    // db failed (still alive after SIGKILL): the stop halts and starts web again, which never gets ready.
    await waitFor(actor, () => stopState(actor) === 'restoring', { timeout: 10_000 });
    actor.send({ type: 'FORCE' });
    // Bounded to say where it stands if it never ends.
    const run = (await Promise.race([
      toPromise(actor),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`not done: ${JSON.stringify({ value: actor.getSnapshot().value, stop: stopState(actor), lives: actor.getSnapshot().context.lives })}`)), 10_000)),
    ])) as ShutdownReport;
    expect({ earlier: run.earlier?.map((stop) => stop.outcome), paths: paths(run) }).toEqual({
      earlier: ['rolledBack'],
      paths: { web: ['idle', 'forceKill', 'stopped'], db: ['idle', 'forceKill', 'stopped'] },
    });
  });

  it('starts nothing again when a restart is forced while it verifies', async () => {
    const actor = createActor(refusingWorld(200), {
      input: { services: [plan('web')], onFailure: 'escalate', order: 'dependency' },
      inspect: (event) => void coverage.inspect(event),
    }).start();
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'RESTART', services: ['web'] });
    await waitFor(actor, () => stopState(actor) === 'verifying');
    actor.send({ type: 'FORCE' });
    const run = (await toPromise(actor)) as ShutdownReport;
    expect(paths(run)).toEqual({ web: ['idle', 'sigterm', 'stopped'] });
  });
});

describe('model-only: Ctrl-C, detach, forced requests', () => {
  const timeouts = { http: 10_000, exit: 10_000, sigterm: 10_000, kill: 10_000 };
  const solo = [{ name: 'solo', tier: 'simple', steps: ['sigterm', 'forceKill'] as Step[], signal: 'SIGTERM', timeouts, local: true, dependsOn: [] }];
  const start = (options: Parameters<typeof inMemoryOrchestrator>[0]) => {
    const actor = createActor(inMemoryOrchestrator(options), {
      input: { services: solo, onFailure: 'escalate', order: 'dependency' },
      inspect: (event) => void coverage.inspect(event),
    });
    const said: string[] = [];
    actor.on('*', (event) => void said.push(event.type === 'SIGNAL_ANSWERED' ? `${event.type}:${event.step}` : event.type));
    actor.start();
    return { actor, said };
  };

  it('gives each SIGNAL its meaning by the state: the tiered stop, then FORCE, then exit', async () => {
    // SIGTERM is ignored: only the FORCE the second signal asks for ends the stop.
    const { actor, said } = start({ exitOn: 'killProcessTree' });
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'SIGNAL', signal: 'SIGINT' });
    actor.send({ type: 'SIGNAL', signal: 'SIGINT' });
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(said.filter((type) => type.startsWith('SIGNAL'))).toEqual(['SIGNAL_ANSWERED:shutdown', 'SIGNAL_ANSWERED:force']);
    expect(report.services[0].path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
  });

  it('joins a stop already under way on the first SIGNAL, forces on the second, and asks to exit on the third', async () => {
    const { actor, said } = start({ exitOn: 'killProcessTree' });
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'SHUTDOWN' });
    for (let count = 0; count < 3; count++) actor.send({ type: 'SIGNAL', signal: 'SIGTERM' });
    await toPromise(actor);
    expect(said.filter((type) => type.startsWith('SIGNAL'))).toEqual(['SIGNAL_ANSWERED:shutdown', 'SIGNAL_ANSWERED:force', 'SIGNAL_ANSWERED:exit']);
  });

  it('ends the start on a SIGNAL while starting', async () => {
    const { actor, said } = start({ exitOn: 'sendStopSignal', readyAfterMs: 10_000 });
    actor.send({ type: 'SIGNAL', signal: 'SIGINT' });
    await toPromise(actor);
    expect(said).toEqual(expect.arrayContaining(['START_INTERRUPTED', 'SIGNAL_ANSWERED:shutdown', 'REPORT']));
  });

  it.each([['running', undefined], ['starting', 10_000]] as [string, number | undefined][])('detaches while %s: no stop, no report, the services left to run', async (_, readyAfterMs) => {
    const { actor, said } = start({ exitOn: 'sendStopSignal', readyAfterMs });
    if (readyAfterMs === undefined) await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'DETACH' });
    expect(await toPromise(actor)).toBeNull();
    expect(said).toContain('DETACHED');
    expect(said).not.toContain('STOP_STARTED');
  });

  it('forces the stop under way when a forced stop is asked for during it', async () => {
    const { actor } = start({ exitOn: 'killProcessTree' });
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'SHUTDOWN' });
    actor.send({ type: 'SHUTDOWN', force: true });
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.services[0].path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
  });
});

/**
 * One service `api` with a health check whose probe fails while `world.sick`; its
 * process obeys SIGTERM when `obeys`, else nothing ends it (its stop ends `failed`).
 * A start (the first, or a restart) makes it well again.
 */
function healthWorld(obeys: boolean) {
  const world = { sick: false };
  let exitOf: ((event: ServiceEvent) => void) | undefined;
  const exit = () => setTimeout(() => exitOf?.({ type: 'PROCESS_EXITED', exitCode: null, signal: 'SIGTERM' }), 1);
  const machine = composeOrchestrator({
    service: serviceMachine.provide({
      actions: { sendStopSignal: () => void (obeys && exit()), killProcessTree: () => {} },
      actors: { watchProcess: fromCallback<ServiceEvent, { name: string; pid: number | null }>(({ sendBack }) => void (exitOf = sendBack)) },
    }),
    startWave: fromCallback<StartEvent, { names: string[] }>(({ sendBack, input }) => {
      world.sick = false;
      for (const name of input.names) sendBack({ type: 'SERVICE_SPAWNED', name, pid: 1 });
      for (const name of input.names) sendBack({ type: 'SERVICE_READY', name, checked: true });
      sendBack({ type: 'WAVE_READY' });
    }),
    probe: fromPromise<ProbeResult, ProbeInput>(async () => (world.sick ? { healthy: false, detail: 'sick' } : { healthy: true })),
  });
  const input = (policy: 'no' | 'on-failure') => ({
    services: [
      {
        name: 'api',
        tier: 'simple',
        steps: ['sigterm', 'forceKill'] as Step[],
        signal: 'SIGTERM',
        timeouts: { http: 1000, exit: 1000, sigterm: 20, kill: 20 },
        local: true,
        dependsOn: [],
        restart: { policy, maxRestarts: 3, backoffMs: 1 },
        health: { intervalMs: 5, timeoutMs: 1000, retries: 1, startPeriodMs: 0 },
      },
    ],
    onFailure: 'escalate' as const,
    order: 'dependency' as const,
  });
  return { world, machine, input };
}

describe('model-only: health while running', () => {
  const lifeOf = (snapshot: { context: { lives: { state: string }[] } }) => snapshot.context.lives[0].state;

  it('restart: no — healthy at its first check, unhealthy while its checks fail, ready again when they pass', async () => {
    const { world, machine, input } = healthWorld(true);
    const actor = createActor(machine, { input: input('no'), inspect: (event) => void coverage.inspect(event) }).start();
    await waitFor(actor, (snapshot) => snapshot.context.lives[0].health === 'healthy');
    world.sick = true;
    await waitFor(actor, (snapshot) => lifeOf(snapshot) === 'unhealthy');
    world.sick = false;
    await waitFor(actor, (snapshot) => lifeOf(snapshot) === 'ready');
    actor.send({ type: 'SHUTDOWN' });
    expect(((await toPromise(actor)) as ShutdownReport).services[0].restarts).toEqual([]);
  });

  it('restart: on-failure — stopped through its own statechart, started again, counted with reason unhealthy', async () => {
    const { world, machine, input } = healthWorld(true);
    const actor = createActor(machine, { input: input('on-failure'), inspect: (event) => void coverage.inspect(event) }).start();
    await waitFor(actor, (snapshot) => lifeOf(snapshot) === 'ready');
    world.sick = true;
    await waitFor(actor, (snapshot) => lifeOf(snapshot) === 'restarting');
    await waitFor(actor, (snapshot) => lifeOf(snapshot) === 'ready' && snapshot.context.restarting.length === 0);
    actor.send({ type: 'SHUTDOWN' });
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.services[0].restarts).toEqual([expect.objectContaining({ reason: 'unhealthy', signal: 'SIGTERM' })]);
  });

  it('restart: on-failure, but its stop ends failed — nothing is started beside it, and the run ends', async () => {
    const { world, machine, input } = healthWorld(false);
    const actor = createActor(machine, { input: input('on-failure'), inspect: (event) => void coverage.inspect(event) }).start();
    await waitFor(actor, (snapshot) => lifeOf(snapshot) === 'ready');
    world.sick = true;
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.services[0]).toMatchObject({ outcome: 'failed', restarts: [] });
  });
});

describe('model-only: START, some services at a time (docs/cli.md, tierdown start)', () => {
  type Answer = { requestIds: number[]; started: string[]; failure: string | null; interrupted: boolean };
  const run = (world: ReturnType<typeof startWorld>, services: ReturnType<typeof planned>[], only?: string[]) => {
    const actor = createActor(world, { input: { services, onFailure: 'escalate', order: 'dependency', ...(only ? { only } : {}) }, inspect: (event) => void coverage.inspect(event) });
    const answers: Answer[] = [];
    actor.on('START_ANSWERED', ({ requestIds, started, failure, interrupted }) => void answers.push({ requestIds, started, failure, interrupted }));
    actor.start();
    const states = () => Object.fromEntries(actor.getSnapshot().context.services.map((service, slot) => [service.name, actor.getSnapshot().context.lives[slot].state]));
    const answered = (count: number) => waitFor(actor, () => answers.length >= count).then(() => answers[count - 1]);
    return { actor, answers, states, answered };
  };
  const abc = [planned('a'), planned('b', ['a']), planned('c')];

  it('starts only the named service and what it needs; a START adds what is missing, and is answered at once when nothing is', async () => {
    const { actor, states, answered } = run(startWorld(() => 'ready'), abc, ['b']);
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    expect(states()).toEqual({ a: 'ready', b: 'ready', c: 'stopped' });
    expect(actor.getSnapshot().context.lives[2].note).toBe('not started');
    actor.send({ type: 'START', services: ['c'], requestId: 1 });
    expect(await answered(1)).toEqual({ requestIds: [1], started: ['c'], failure: null, interrupted: false });
    actor.send({ type: 'START', requestId: 2 });
    expect(await answered(2)).toEqual({ requestIds: [2], started: [], failure: null, interrupted: false });
    expect(states()).toEqual({ a: 'ready', b: 'ready', c: 'ready' });
    actor.send({ type: 'SHUTDOWN' });
    expect(paths((await toPromise(actor)) as ShutdownReport)).toEqual({ a: ['idle', 'sigterm', 'stopped'], b: ['idle', 'sigterm', 'stopped'], c: ['idle', 'sigterm', 'stopped'] });
  });

  it('holds a START sent while the stack starts or stops, and runs it once the stack runs', async () => {
    const { actor, states, answered } = run(startWorld((name, start) => (name === 'a' && start === 1 ? 'slow' : 'ready')), abc, ['a']);
    actor.send({ type: 'START', services: ['c'], requestId: 1 });
    expect(await answered(1)).toEqual({ requestIds: [1], started: ['c'], failure: null, interrupted: false });
    // A partial stop, and a START of what it stops right behind it: the START waits, then brings b (and only b) back.
    actor.send({ type: 'START', services: ['b'], requestId: 2 });
    await answered(2);
    actor.send({ type: 'SHUTDOWN', services: ['b'] });
    actor.send({ type: 'START', services: ['b'], requestId: 3 });
    expect(await answered(3)).toEqual({ requestIds: [3], started: ['b'], failure: null, interrupted: false });
    expect(actor.getSnapshot().context.report?.services.map((service) => service.name)).toEqual(['b']);
    expect(states()).toEqual({ a: 'ready', b: 'ready', c: 'ready' });
    actor.send({ type: 'SHUTDOWN' });
    await toPromise(actor);
  });

  it('stops a service that spawned but never became ready, tiered; what ran before runs on', async () => {
    const { actor, states, answered } = run(startWorld((name) => (name === 'b' ? 'neverReady' : 'ready')), abc, ['a']);
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'START', services: ['b'], requestId: 1 });
    expect(await answered(1)).toEqual({ requestIds: [1], started: [], failure: 'b: not ready in time', interrupted: false });
    await waitFor(actor, (snapshot) => snapshot.matches('running') && snapshot.context.stop === null);
    expect(states()).toEqual({ a: 'ready', b: 'stopped', c: 'stopped' });
    actor.send({ type: 'SHUTDOWN' });
    await toPromise(actor);
  });

  it('marks one that cannot be spawned failed, and one that dies before it is ready crashed, not restarted', async () => {
    const restart = { policy: 'on-failure' as const, maxRestarts: 5, backoffMs: 0 };
    const services = [planned('a'), { ...planned('b', ['a']), restart }, planned('c')];
    const { actor, states, answered } = run(startWorld((name) => (name === 'c' ? 'spawnFails' : name === 'b' ? 'dies' : 'ready')), services, ['a']);
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'START', services: ['c'], requestId: 1 });
    expect(await answered(1)).toMatchObject({ started: [], failure: 'c: spawn failed' });
    actor.send({ type: 'START', services: ['b'], requestId: 2 });
    expect(await answered(2)).toMatchObject({ started: [], failure: 'b: exited (code 1) before it was ready', interrupted: false });
    expect(states()).toEqual({ a: 'ready', b: 'crashed', c: 'failed' });
    expect(actor.getSnapshot().context.lives[2].note).toBe('failed to start: spawn failed');
    expect(actor.getSnapshot().context.restarting).toEqual([]);
    // Either can be asked again: neither has a process.
    actor.send({ type: 'SHUTDOWN' });
    await toPromise(actor);
  });

  it.each([
    ['SHUTDOWN', { type: 'SHUTDOWN' }],
    ['RESTART', { type: 'RESTART', services: ['a'] }],
    ['FORCE', { type: 'FORCE' }],
    ['SIGNAL', { type: 'SIGNAL', signal: 'SIGINT' }],
  ] as [string, OrchestratorEvent][])('ends a START on %s: what was not spawned yet stays down, and the caller is told', async (_, event) => {
    const { actor, answered } = run(startWorld((name) => (name === 'a' ? 'ready' : 'slow'), 200), abc, ['a']);
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'START', services: ['b', 'c'], requestId: 1 });
    actor.send(event);
    expect(await answered(1)).toMatchObject({ started: [], failure: 'a stop was asked for before every service was ready', interrupted: true });
    if (actor.getSnapshot().status !== 'done') actor.send({ type: 'SHUTDOWN' });
    await toPromise(actor);
  });

  it('detaches during a START: no stop, no answer (the engine tells its callers)', async () => {
    const { actor, answers } = run(startWorld((name) => (name === 'a' ? 'ready' : 'slow'), 200), abc, ['a']);
    await waitFor(actor, (snapshot) => snapshot.matches('running'));
    actor.send({ type: 'START', services: ['c'], requestId: 1 });
    actor.send({ type: 'DETACH' });
    expect(await toPromise(actor)).toBeNull();
    expect(answers).toEqual([]);
  });
});

describe('the whole run', () => {
  const lone = (name: string): Graph => ({ seed: 0, shapes: ['lone'], nodes: [{ name, dependsOn: [] }] });
  const chain: Graph = { seed: 0, shapes: ['chain'], nodes: [{ name: 'db', dependsOn: [] }, { name: 'api', dependsOn: ['db'] }] };

  it.concurrent('restarts a crashed service by its policy, gives up at max_restarts, and the run ends by itself', async () => {
    const { stack, events } = await startStack(lone('worker'), {
      // auto: a restart resolves the tier again (the fixture has no endpoint: simple).
      worker: { tier: 'auto', env: { FIX_EXIT_CODE: '1' }, restart: { policy: 'on-failure', max_restarts: 1, backoff: '100ms' } },
    });
    // It crashes when the test says (POST /exit), once its readiness was seen: never a start failure on a loaded machine.
    const readyTimes = () => events.filter((event) => event.type === 'ready' && event.service === 'worker').length;
    await endService(stack, 'worker');
    await waitUntil(() => readyTimes() === 2, 30_000);
    await endService(stack, 'worker');
    const run = await stack.whenFinished();
    expect(run.services[0]).toMatchObject({ name: 'worker', outcome: 'crashed', exitCode: 1 });
    expect(run.services[0].restarts).toHaveLength(1);
    expect(events.filter((event) => event.type === 'exited').length).toBe(2);
    expect(stack.finished).toBe(true);
  });

  it.concurrent('reports a service that could not be spawned as failed, and the run ends', async () => {
    const stack = createOrchestrator(
      { version: 1, services: { ghost: { command: ['node', '-e', '0'], cwd: '/etc/hostname' } } },
      { timing: TEST_TIMING, inspect: (event) => void coverage.inspect(event) },
    );
    await expect(stack.start()).rejects.toThrow(/not a folder/);
    const run = await stack.whenFinished();
    expect(run.services[0]).toMatchObject({ name: 'ghost', outcome: 'failed', method: 'none' });
    expect(run.services[0].detail).toMatch(/failed to start/);
  });

  it.concurrent('leaves a service that exited cleanly down under on-failure', async () => {
    const { stack } = await startStack(lone('once'), { once: { restart: 'on-failure' } });
    await endService(stack, 'once');
    const run = await stack.whenFinished();
    expect(run.services[0]).toMatchObject({ outcome: 'exited', restarts: [] });
  });

  it.concurrent('counts a restart that fails to start as a crash, and cancels the next one when the stack stops', async () => {
    const once = `${ledger.dir}/flaky-started`;
    const { stack, events, stateOf } = await startStack(chain, {
      db: {},
      api: { env: { FIX_EXIT_CODE: '1', FIX_START_ONCE: once }, restart: { policy: 'always', backoff: '100ms' } },
    });
    // It crashes once the stack is up (POST /exit), whatever the machine's load.
    await endService(stack, 'api');
    // The second start exits at once (never ready): the policy answers with a longer backoff.
    await waitUntil(() => events.some((event) => event.type === 'restartScheduled' && event.restart === 2), 30_000);
    expect(stack.status().find((row) => row.name === 'api')!.state).toBe('restarting');
    const report = await stack.shutdown();
    expect(report.services.find((service) => service.name === 'api')).toMatchObject({ outcome: 'crashed' });
    expect(stateOf('db')).toBe('stopped');
  });

  it.concurrent('goes on supervising after a refused stop with nothing to start again; a forced stop then ends the run', async () => {
    const { stack, pid } = await startStack(lone('ledgerd'), { ledgerd: { tier: 'critical', env: { FIX_HTTP: '500' } } }, { onFailure: 'rollback' });
    const before = pid('ledgerd');
    const refused = await stack.shutdown();
    expect(refused.outcome).toBe('rolledBack');
    expect(stack.finished).toBe(false);
    // The refusing service runs on, as it ran: ready (its readiness was seen), same process.
    await waitUntil(() => stack.status()[0].state === 'ready');
    expect(pid('ledgerd')).toBe(before);
    stack.force();
    const run = await stack.whenFinished();
    expect(run.services[0].path).toEqual(['idle', 'forceKill', 'stopped']);
    expect(run.earlier!.map((stop) => stop.outcome)).toEqual(['rolledBack']);
  });

  it.concurrent('restart(): stops a service and its dependents, then starts them again in order', async () => {
    const { stack, events, pid } = await startStack(chain);
    const before = pid('db');
    const mark = events.length;
    const report = await stack.restart(['db']);
    expect(report.waves).toEqual([['api'], ['db']]);
    const spawned = events.slice(mark).filter((event) => event.type === 'spawned').map((event) => (event as { service: string }).service);
    expect(spawned).toEqual(['db', 'api']);
    expect(pid('db')).not.toBe(before);
    expect(stack.status().every((row) => row.state === 'ready')).toBe(true);
    // A restart of what a partial stop already took down starts it again.
    await stack.shutdown(['api']);
    const again = await stack.restart(['api']);
    expect(again.services).toEqual([]);
    expect(stack.status().find((row) => row.name === 'api')!.state).toBe('ready');
    await stack.shutdown();
  });

  it.concurrent('restart(): still reports when a service fails to start again', async () => {
    const once = `${ledger.dir}/api-started`;
    const { stack } = await startStack(chain, { api: { env: { FIX_START_ONCE: once } } });
    const report = await stack.restart(['api']);
    expect(report.services.map((service) => service.name)).toEqual(['api']);
    await stack.shutdown();
  });

  it.concurrent('queues a stop asked for during another: a partial stop joined by a full one, and a restart', async () => {
    const { stack } = await startStack(chain, { api: { env: { FIX_SIGTERM: 'ignore' }, timeouts: { sigterm: 150 } } });
    const partial = stack.shutdown(['api']);
    const restart = stack.restart(['api']);
    const full = stack.shutdown();
    const again = stack.shutdown();
    const [first, second, third, fourth] = await Promise.all([partial, restart, full, again]);
    expect(first.services.map((service) => service.name)).toEqual(['api']);
    expect(second.services).toEqual([]);
    expect(third.services.map((service) => service.name).sort()).toEqual(['api', 'db']);
    expect(fourth).toBe(third);
    expect(stack.finished).toBe(true);
    expect(third.earlier).toHaveLength(2);
  });
});

describe('grace (model-only; the engine runs it in test/pid1/pid1.test.ts)', () => {
  it('forces what is left when the grace, less its margin, runs out', async () => {
    // SIGTERM is ignored; only SIGKILL ends the process.
    const machine = inMemoryOrchestrator({ exitOn: 'killProcessTree' });
    const timeouts = { http: 10_000, exit: 10_000, sigterm: 10_000, kill: 10_000 };
    const actor = createActor(machine, {
      input: { services: [{ name: 'solo', tier: 'simple', steps: ['sigterm', 'forceKill'], signal: 'SIGTERM', timeouts, local: true, dependsOn: [] }], onFailure: 'escalate', order: 'dependency', forceAfterMs: 30 },
      inspect: (event) => void coverage.inspect(event),
    }).start();
    actor.send({ type: 'SHUTDOWN' });
    const report = (await toPromise(actor)) as ShutdownReport;
    expect(report.services[0].path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(report.services[0].transitions[1].reason).toBe('FORCE');
  });
});

describe.each(graphs.map((graph) => [`seed ${graph.seed}: ${graph.shapes.join(' + ')}`, graph] as const))('generated graph %s', (_, graph) => {
  it.concurrent('stops in reverse-dependency waves, each service after its dependents', async () => {
    // The first is `auto`: the fixture has no shutdown endpoint (404), so it resolves to simple.
    const { stack, events } = await startStack(graph, { [graph.nodes[0].name]: { tier: 'auto' } });
    expectStartOrder(graph, events);
    const report = await stack.shutdown();
    expect(report.waves).toEqual(expectedStopWaves(graph));
    expect(report.outcome).toBe('stopped');
    for (const service of report.services) expect(service.path).toEqual(['idle', 'sigterm', 'stopped']);
    expectDependencyOrder(graph, report);
  });

  it.concurrent('forces mid-shutdown: the one in sigterm and the ones still waiting go to forceKill', async () => {
    const stubborn = blockingService(graph);
    const blocked = dependenciesOf(graph, stubborn);
    const { stack, stateOf } = await startStack(graph, { [stubborn]: { env: { FIX_SIGTERM: 'ignore' } } });
    const pending = stack.shutdown();
    // FORCE once everything not waiting on the stubborn one has stopped by itself.
    const free = graph.nodes.map((node) => node.name).filter((name) => name !== stubborn && !blocked.has(name));
    await waitUntil(() => stateOf(stubborn) === 'sigterm' && free.every((name) => stateOf(name) === 'stopped'));
    stack.force();
    const report = await pending;
    const expected = Object.fromEntries(
      graph.nodes.map(({ name }) => [
        name,
        name === stubborn ? ['idle', 'sigterm', 'forceKill', 'stopped'] : blocked.has(name) ? ['idle', 'forceKill', 'stopped'] : ['idle', 'sigterm', 'stopped'],
      ]),
    );
    expect(paths(report)).toEqual(expected);
    expect(byName(report).get(stubborn)!.transitions[1].reason).toBe('FORCE');
  });

  (freezer.available ? it.concurrent : it.concurrent.skip)('goes on with the rest when one service cannot be killed', async () => {
    const unkillable = blockingService(graph);
    const { stack, pid } = await startStack(graph, { [unkillable]: { timeouts: { sigterm: 40, kill: 40 } } });
    freezer.freeze(pid(unkillable));
    const report = await stack.shutdown();
    expect(report.outcome).toBe('failed');
    for (const service of report.services) {
      expect(service.path).toEqual(service.name === unkillable ? ['idle', 'sigterm', 'forceKill', 'failed'] : ['idle', 'sigterm', 'stopped']);
    }
    expect(report.waves).toEqual(expectedStopWaves(graph));
    expectDependencyOrder(graph, report);
  });
});

describe('fixed scenarios', () => {
  const graph = graphs[0];

  it.concurrent('stops only the named service and its dependents on a partial stop, then the rest', async () => {
    const target = graph.nodes.find((node) => node.dependsOn.length === 0)!.name;
    const { stack, stateOf } = await startStack(graph);
    const part = withDependents(graph, [target]);
    const first = await stack.shutdown([target]);
    expect(first.waves).toEqual(expectedStopWaves(graph, part));
    const rest = graph.nodes.map((node) => node.name).filter((name) => !part.includes(name));
    for (const name of rest) expect(stateOf(name)).toBe('idle');
    const second = await stack.shutdown();
    expect(second.services.map((service) => service.name).sort()).toEqual([...rest].sort());
    expect(stack.finished).toBe(true);
  });

  it.concurrent('stops what did start when a service fails to start', async () => {
    const root = graph.nodes[0].name;
    const broken: Graph = { ...graph, nodes: [...graph.nodes, { name: 'broken', dependsOn: [root] }] };
    const { stack, events } = await startStack(broken, { broken: { command: [process.execPath, '-e', 'process.exit(3)'], ready: true } }, { start: false });
    await expect(stack.start()).rejects.toThrow(/broken/);
    const report = await stack.shutdown();
    // The one that died before it was ready crashed (exit 3); the rest were stopped.
    expect(report.services.filter((service) => service.outcome !== 'stopped').map((service) => [service.name, service.outcome])).toEqual([['broken', 'crashed']]);
    expect(events.some((event) => event.type === 'startFailed' && event.service === 'broken')).toBe(true);
  });

  it.concurrent.each(['shutdown', 'force'] as const)('can %s while services are still starting', async (how) => {
    // `slow` never becomes ready: nothing listens on its health URL.
    const slow: Graph = { seed: 0, shapes: ['lone'], nodes: [{ name: 'slow', dependsOn: [] }] };
    const { stack, stateOf } = await startStack(slow, { slow: { env: { FIX_HTTP: 'none' } } }, { start: false });
    const starting = stack.start().catch(() => undefined);
    await waitUntil(() => stateOf('slow') === 'idle' && stack.status()[0].pid !== null);
    const report = how === 'shutdown' ? await stack.shutdown() : (stack.force(), await stack.shutdown());
    expect(report.services[0].path).toEqual(how === 'shutdown' ? ['idle', 'sigterm', 'stopped'] : ['idle', 'forceKill', 'stopped']);
    void starting;
  });

  it.concurrent('sends every service to forceKill on FORCE while the stack runs', async () => {
    const { stack } = await startStack(graph);
    stack.force();
    const report = await stack.shutdown();
    for (const service of report.services) expect(service.path).toEqual(['idle', 'forceKill', 'stopped']);
    expect(report.waves).toEqual(expectedStopWaves(graph));
  });

  (freezer.available ? it.concurrent : it.concurrent.skip)('rolls back with nothing to start again when the first service to stop fails', async () => {
    const [first, ...others] = expectedStopWaves(graph)[0];
    // The others asked with it hold on in sigterm, so nothing has stopped when it fails.
    const specs: Record<string, ServiceSpec> = { [first]: { timeouts: { sigterm: 40, kill: 40 } } };
    for (const name of others) specs[name] = { env: { FIX_SIGTERM: 'ignore' } };
    const { stack, pid } = await startStack(graph, specs, { onFailure: 'rollback' });
    const pids = Object.fromEntries(graph.nodes.map(({ name }) => [name, pid(name)]));
    freezer.freeze(pid(first));
    const report = await stack.shutdown();
    expect(report.outcome).toBe('rolledBack');
    expect(paths(report)).toEqual({ [first]: ['idle', 'sigterm', 'forceKill', 'failed'] });
    // Those halted in sigterm and those never asked run on, untouched: same processes.
    await waitUntil(() => stack.status().every((row) => row.state === 'ready' || row.name === first));
    for (const { name } of graph.nodes) if (name !== first) expect(pid(name)).toBe(pids[name]);
  });

  it.concurrent('still reports the rollback when a service fails to start again', async () => {
    const chain: Graph = { seed: 0, shapes: ['chain'], nodes: [{ name: 'api', dependsOn: [] }, { name: 'web', dependsOn: ['api'] }] };
    const once = `${ledger.dir}/web-started`;
    const { stack, events } = await startStack(chain, { api: { tier: 'critical', env: { FIX_HTTP: '500' } }, web: { env: { FIX_START_ONCE: once } } }, { onFailure: 'rollback' });
    const report = await stack.shutdown();
    expect(report.outcome).toBe('rolledBack');
    expect(paths(report)).toEqual({ web: ['idle', 'sigterm', 'stopped'], api: ['idle', 'httpShutdown', 'failed'] });
    expect(events.some((event) => event.type === 'startFailed' && event.service === 'web')).toBe(true);
  });

  it.concurrent('rolls back when a critical service refuses to stop: what stopped starts again, in dependency order', async () => {
    const chain: Graph = { seed: 0, shapes: ['chain'], nodes: [{ name: 'db', dependsOn: [] }, { name: 'api', dependsOn: ['db'] }, { name: 'web', dependsOn: ['api'] }, { name: 'edge', dependsOn: ['web'] }] };
    // `edge` is `auto`: started again by the rollback, it resolves its tier again.
    const { stack, events, pid } = await startStack(chain, { api: { tier: 'critical', env: { FIX_HTTP: '500' } }, edge: { tier: 'auto' } }, { onFailure: 'rollback' });
    const apiPid = pid('api');
    const dbPid = pid('db');
    const mark = events.length;
    const report = await stack.shutdown();
    expect(report.outcome).toBe('rolledBack');
    expect(paths(report)).toEqual({ edge: ['idle', 'sigterm', 'stopped'], web: ['idle', 'sigterm', 'stopped'], api: ['idle', 'httpShutdown', 'failed'] });
    await waitUntil(() => stack.status().every((row) => row.state === 'ready'));
    const restarted = events.slice(mark).filter((event) => event.type === 'spawned').map((event) => (event as { service: string }).service);
    expect(restarted).toEqual(['web', 'edge']);
    // The one that refused, and the one never asked, kept running untouched.
    expect(pid('api')).toBe(apiPid);
    expect(pid('db')).toBe(dbPid);
  });
});
