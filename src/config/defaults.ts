/**
 * Every default of the config, in one place (STYLE: timeouts are never hidden
 * module constants elsewhere). The values are the tiers table of docs/config.md#tiers.
 */
import { TIMEOUT_KEYS, type TimeoutKey, type Timeouts } from '../../machines/timeouts.js';
import type { RestartPolicy, Step } from '../../machines/types.js';
import type { FailurePolicy } from './types.js';

/**
 * Every timeout's default in ms, one per row of machines/timeouts.ts, when
 * neither the file's `defaults`, a tier nor a service sets it.
 * - `command`: long enough for `pg_ctl stop -m fast` to wait out a checkpoint,
 *   short enough that a hung stop command does not hold the stop for long.
 * - `maxExtend`: how far a service may push a step past its plan with
 *   EXTEND_TIMEOUT_USEC (a long save asks for time instead of being killed).
 */
export const TIMEOUT_DEFAULTS: Readonly<Record<TimeoutKey, number>> = Object.freeze({
  http: 2000,
  command: 10_000,
  exit: 5000,
  sigterm: 5000,
  kill: 2000,
  maxExtend: 300_000,
});

/**
 * The budgets every service has: the defaults of the keys that always apply.
 * The others join only with what uses them (`stop.command`; the plan adds `maxExtend`).
 */
export const DEFAULT_TIMEOUTS: Readonly<Timeouts> = Object.freeze(
  // fromEntries loses the keys' types; the filter keeps exactly Timeouts' required keys.
  Object.fromEntries(TIMEOUT_KEYS.filter((row) => row.always).map((row) => [row.key, TIMEOUT_DEFAULTS[row.key]])) as Timeouts,
);

/** What a built-in tier is before the file's `defaults.timeouts` and overrides are applied. */
export interface BuiltInTier {
  readonly auto: boolean;
  readonly steps: readonly Step[];
}

/**
 * The tiers every config knows (docs/config.md#tiers). `auto` carries `critical`'s steps: the
 * runtime probes the shutdown URL once and drops `http` when nothing answers.
 */
export const BUILT_IN_TIERS: Readonly<Record<'critical' | 'simple' | 'auto', BuiltInTier>> = Object.freeze({
  critical: { auto: false, steps: ['http', 'sigterm', 'forceKill'] },
  simple: { auto: false, steps: ['sigterm', 'forceKill'] },
  auto: { auto: true, steps: ['http', 'sigterm', 'forceKill'] },
});

/** Steps of a user tier that does not list any: the safe kind, which needs no shutdown URL. */
export const DEFAULT_USER_TIER_STEPS: readonly Step[] = BUILT_IN_TIERS.simple.steps;

/** Tier of a local service (`command`) that names none. */
export const DEFAULT_LOCAL_TIER = 'simple';

/** Tier of a remote service (`url`) that names none: HTTP is its only way to stop. */
export const DEFAULT_REMOTE_TIER = 'critical';

/** Signal of the `sigterm` step unless a tier sets `signal`. */
export const DEFAULT_SIGNAL: NodeJS.Signals = 'SIGTERM';

/** How long `up` waits for a service to become ready unless `ready.timeout` says otherwise. */
export const DEFAULT_READY_TIMEOUT_MS = 30_000;

/** docs/config.md: `escalate` unless `on_failure` (or `--on-failure`) says otherwise. */
export const DEFAULT_FAILURE_POLICY: FailurePolicy = 'escalate';

/** Host of local services: their port is reached over loopback only. */
export const LOCAL_HOST = '127.0.0.1';

/** Files looked for, in this order, in the working directory when no file is named. */
export const DEFAULT_CONFIG_FILES: readonly string[] = Object.freeze(['tierdown.yaml', 'tierdown.yml', 'tierdown.json']);

/**
 * How much of a refused shutdown's body is read (it says why) and for how long
 * at most: the status line is the answer; the body only explains it.
 */
export const REFUSAL_BODY_LIMIT: Readonly<{ bytes: number; ms: number }> = Object.freeze({ bytes: 4096, ms: 250 });

/**
 * The shortest wait before a restart (docs/restart.md): a smaller `backoff` is raised
 * to it, so a crash loop's wait doubles from here instead of staying at 0 for ever.
 */
export const MIN_RESTART_BACKOFF_MS = 100;

/** `restart:` unless set: never restart; a policy named without limits gets 5 restarts, 1 s backoff. */
export const DEFAULT_RESTART: Readonly<RestartPolicy> = Object.freeze({ policy: 'no', maxRestarts: 5, backoffMs: 1000 });

/**
 * `healthcheck:` unless set (docs/config.md#healthcheck): compose's own defaults,
 * so a compose user's healthcheck means the same here — a check every 30 s, each
 * given 30 s, unhealthy after 3 failures in a row, no start period.
 */
export const DEFAULT_HEALTHCHECK: Readonly<{ intervalMs: number; timeoutMs: number; retries: number; startPeriodMs: number }> = Object.freeze({
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
});

/** The shortest `healthcheck.interval`: a check loop must leave the CPU to the services. */
export const MIN_HEALTH_INTERVAL_MS = 10;

/** The most `healthcheck.retries`: far above any use, and a bound on what the file may ask. */
export const MAX_HEALTH_RETRIES = 1000;
