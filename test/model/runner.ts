/**
 * Runs generated paths against the real runtime: one `createOrchestrator` per
 * batch, a real fixture process per path (test/fixtures/light-service.pl: it need only run,
 * answer /health and take signals; local ones started by the engine,
 * remote ones by the test), the shutdown endpoints of test/model/endpoint.ts,
 * and the test's moves at the moments the paths name. A batch stops every
 * service at once (`order: none`), or, for FORCE paths, waits until each has
 * reached the state its path forces it in — those forced while still idle are
 * made dependencies of the others so that nobody asks them first.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceReport, ShutdownReport } from '../../src/index.js';
import { createOrchestrator } from '../../src/index.js';
import type { Freezer } from '../helpers/freezer.js';
import { quietPort } from '../helpers/ports.js';
import { fixtureCommand, TEST_TIMING, type Ledger } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';
import type { Behaviour, StopCommandBehaviour } from './behaviour.js';
import type { CoverageCollector } from './coverage.js';
import { startEndpoints } from './endpoint.js';
import { CUSTOM_TIERS } from './service-model.js';

export interface World {
  ledger: Ledger;
  freezer: Freezer;
  coverage: CoverageCollector;
}

export interface PathRun {
  report: ShutdownReport;
  service: ServiceReport | undefined;
  /** Coverage keys of the transitions the service's machine took in the real run. */
  transitions: string[];
}

const BOUND_MS = 20_000;

// The stop command of each behaviour; a hung one is ended by the engine when its state is left.
// Programs that start in a millisecond: ~100 of them run per test run (as `node -e` ~11 s of CPU).
const STOP_COMMANDS: Record<StopCommandBehaviour, string[]> = {
  succeed: ['true'],
  fail: ['false'],
  notFound: ['/nonexistent/stop-command'],
  hang: ['sleep', '3600'],
};

async function remoteFixture(world: World, port: number, env: Record<string, string>): Promise<number> {
  const [program, ...args] = fixtureCommand(env);
  const child = spawn(program, args, {
    env: { ...process.env, FIX_PID_FILE: world.ledger.pidFile, PORT: String(port), ...env },
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  return child.pid!;
}

export async function runBatch(behaviours: Behaviour[], world: World, options: { forced: boolean }): Promise<PathRun[]> {
  const endpoints = await startEndpoints();
  const names = behaviours.map((_, index) => `s${index}`);
  const pids = new Map<string, number>();
  const reached = new Map<string, Set<string>>(names.map((name) => [name, new Set(['idle'])]));
  const transitions = new Map<string, string[]>(names.map((name) => [name, []]));
  const tokenFile = path.join(world.ledger.dir, 'remote-token');
  writeFileSync(tokenFile, 'remote-token\n');
  const idleForced = options.forced ? names.filter((_, index) => behaviours[index].forceIn === 'idle') : [];
  const onFailure = behaviours.some((behaviour) => behaviour.path.config.onFailure === 'rollback') ? 'rollback' : 'escalate';

  try {
    const services: Record<string, unknown> = {};
    for (const [index, behaviour] of behaviours.entries()) {
      const name = names[index];
      const port = await quietPort();
      const { config } = behaviour.path;
      // The command's budget is the stop's own timeout in a config file.
      const { command: commandMs, ...timeouts } = behaviour.timeouts;
      const common = {
        tier: config.tier,
        timeouts,
        ...(behaviour.stop ? { stop: { command: STOP_COMMANDS[behaviour.stop], timeout: commandMs } } : {}),
        ready: { http: '/health' },
        ...(options.forced && behaviour.forceIn !== 'idle' && idleForced.length ? { depends_on: idleForced } : {}),
      };
      if (config.local) {
        const env = { FIX_PID_FILE: world.ledger.pidFile, PORT: String(port), ...behaviour.env };
        services[name] = { command: fixtureCommand(behaviour.env), env, port, shutdown: { url: endpoints.url(name) }, ...common };
      } else {
        pids.set(name, await remoteFixture(world, port, behaviour.env));
        services[name] = { url: `http://127.0.0.1:${port}`, shutdown: { url: endpoints.url(name), tokenFile }, ...common };
      }
      endpoints.script(name, {
        probe: behaviour.probe,
        answer: behaviour.answer ?? 404,
        beforeAnswer: behaviour.freeze === 'beforeAnswer' ? () => world.freezer.freeze(pids.get(name)!) : undefined,
      });
    }

    const stack = createOrchestrator(
      { version: 1, tiers: CUSTOM_TIERS, on_failure: onFailure, services },
      {
        // Verification and a remote service's health probes get more than the shared
        // 100 ms: up to 50 processes start and stop here at once, on two cores.
        timing: { ...TEST_TIMING, verifyTimeoutMs: 1000 },
        order: options.forced ? 'dependency' : 'none',
        inspect: (event) => {
          const keys = world.coverage.inspect(event);
          // A service machine's actor id is its place in the plan; its context names the service.
          if (!keys.length || !keys[0].startsWith('service')) return;
          const service = (event.actorRef.getSnapshot() as { context?: { name?: string } } | undefined)?.context?.name;
          transitions.get(service ?? '')?.push(...keys);
        },
      },
    );
    const exit = (name: string) => process.kill(pids.get(name)!, 'SIGUSR2');
    stack.subscribe((event) => {
      if (event.type === 'spawned' && event.pid !== null) pids.set(event.service, event.pid);
      if (event.type !== 'transition') return;
      reached.get(event.service)?.add(event.to);
      const behaviour = behaviours[names.indexOf(event.service)];
      if (behaviour?.exitIn === event.to) exit(event.service);
    });
    await stack.start();

    for (const [index, behaviour] of behaviours.entries()) {
      if (behaviour.freeze === 'atStart') world.freezer.freeze(pids.get(names[index])!);
      if (behaviour.exitIn === 'idle') exit(names[index]);
    }
    const exitedByThemselves = names.filter((_, index) => behaviours[index].exitIn === 'idle');
    // Ended by a signal of its own (SIGUSR2) while nobody asked: crashed.
    await waitUntil(() => stack.status().every((row) => !exitedByThemselves.includes(row.name) || row.state === 'crashed'), BOUND_MS);

    let pending: Promise<ShutdownReport>;
    if (options.forced) {
      const waiting = names.filter((_, index) => behaviours[index].forceIn !== 'idle');
      if (waiting.length) {
        pending = stack.shutdown();
        await waitUntil(() => waiting.every((name) => reached.get(name)!.has(behaviours[names.indexOf(name)].forceIn!)), BOUND_MS);
        stack.force();
      } else {
        stack.force();
        pending = stack.shutdown();
      }
    } else {
      pending = stack.shutdown();
    }
    const report = await pending;
    return names.map((name) => ({
      report,
      service: report.services.find((service) => service.name === name),
      transitions: transitions.get(name)!,
    }));
  } finally {
    await endpoints.close();
  }
}
