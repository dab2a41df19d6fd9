/**
 * Builds small stacks of fixture services for engine tests, with short
 * timeouts so a full escalation takes tens of ms, and tears them down.
 */
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator, type Orchestrator, type OrchestratorOptions, type TierdownEvent } from '../../src/index.js';
import { freePort, type Ledger } from './processes.js';

export type { Ledger };

export const FIXTURE = fileURLToPath(new URL('../fixtures/service.mjs', import.meta.url));
/**
 * The argv of a fixture that only runs, answers /health and takes signals (test/fixtures/light-service.pl):
 * a Perl process starts on a fifth of the CPU of a Node one, for tests that start hundreds of services.
 */
const LIGHT_FIXTURE_COMMAND = ['perl', fileURLToPath(new URL('../fixtures/light-service.pl', import.meta.url))];
const LIGHT_KNOBS = new Set(['FIX_PID_FILE', 'PORT', 'FIX_SIGTERM', 'FIX_SIGINT']);
/** The light fixture when `env` asks nothing else of the service (every knob it reads is in LIGHT_KNOBS), else service.mjs. */
export function fixtureCommand(env: Record<string, string> = {}): string[] {
  return Object.keys(env).every((knob) => LIGHT_KNOBS.has(knob)) ? LIGHT_FIXTURE_COMMAND : [process.execPath, FIXTURE];
}
/**
 * Budgets a test expects to be met are far beyond a loaded machine: a shutdown
 * request's round trip, or a service's exit after it accepted or got SIGTERM,
 * overran 150/300 ms budgets there and turned a refusal into a timeout, an
 * accepted or signalled stop into a harsher one. A test that waits for a
 * budget to run out (a service that never answers, never exits, ignores
 * SIGTERM) sets that one short: the *_RUNS_OUT budgets below.
 */
export const FAST = { http: '5s', exit: '5s', sigterm: '5s', kill: '5s' };
/** The http budget of a test that waits for it to run out. */
export const HTTP_RUNS_OUT = { http: '150ms' };
/** The exit budget of a test that waits for it to run out. */
export const EXIT_RUNS_OUT = { exit: '300ms' };
/** The sigterm budget of a test that waits for it to run out. */
export const SIGTERM_RUNS_OUT = { sigterm: '300ms' };
export const TEST_TIMING = { pollMs: 5, firstExitPollMs: 1, maxExitPollMs: 10, verifyTimeoutMs: 100 };

export interface FixtureService {
  tier?: string;
  env?: Record<string, string>;
  depends_on?: string[];
  /** False: no port at all (the fixture serves nothing). */
  http?: boolean;
  timeouts?: Record<string, string>;
  /** Whether readiness waits for /health (default true). */
  ready?: boolean;
  /** The service's `restart:` as written in a config file. */
  restart?: unknown;
  /** Run service.mjs even with no knob in `env`: the test asks for more than the light fixture does (POST /sick). */
  full?: boolean;
}

/**
 * A config object for fixture services: each gets a port and waits for /health to be ready. Each runs the
 * light fixture unless its `env` or `full` asks for service.mjs (fixtureCommand).
 */
export async function fixtureConfig(ledger: Ledger, services: Record<string, FixtureService>, extra: Record<string, unknown> = {}) {
  const entries = await Promise.all(
    Object.entries(services).map(async ([name, spec]) => {
      const port = spec.http === false ? undefined : await freePort();
      return [
        name,
        {
          command: spec.full ? [process.execPath, FIXTURE] : fixtureCommand(spec.env),
          env: { FIX_PID_FILE: ledger.pidFile, ...(port ? { PORT: String(port) } : {}), ...spec.env },
          ...(port ? { port } : {}),
          ...(port && spec.ready !== false ? { ready: { http: '/health' } } : {}),
          tier: spec.tier ?? 'simple',
          ...(spec.depends_on ? { depends_on: spec.depends_on } : {}),
          ...(spec.timeouts ? { timeouts: spec.timeouts } : {}),
          ...(spec.restart !== undefined ? { restart: spec.restart } : {}),
        },
      ] as const;
    }),
  );
  return { version: 1, defaults: { timeouts: FAST }, ...extra, services: Object.fromEntries(entries) };
}

export async function startStack(
  ledger: Ledger,
  services: Record<string, FixtureService>,
  options: OrchestratorOptions & { extra?: Record<string, unknown> } = {},
): Promise<Orchestrator> {
  const config = resolveConfig(await fixtureConfig(ledger, services, options.extra), '<test>', ledger.dir);
  const stack = createOrchestrator(config, { timing: TEST_TIMING, ...options });
  await stack.start();
  return stack;
}

/**
 * The first event of `stack` that `matches`, from now on: subscribe before
 * doing what causes it. Bounded only to catch a hang.
 */
export function nextEvent(stack: Orchestrator, matches: (event: TierdownEvent) => boolean, boundMs = 15_000): Promise<TierdownEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching event within ${boundMs} ms: ${matches.toString()}`));
    }, boundMs);
    const unsubscribe = stack.subscribe((event) => {
      if (!matches(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

/** Ends a running fixture service now (its `POST /exit`), with the exit its env sets. */
export async function endService(stack: Orchestrator, name: string): Promise<void> {
  const port = stack.config.services.find((service) => service.name === name)?.port;
  if (port === undefined) throw new Error(`${name} has no port to ask`);
  await (await fetch(`http://127.0.0.1:${port}/exit`, { method: 'POST' })).text();
}
