/**
 * One `services:` entry into a `ResolvedService`: a local process (`command`) or
 * a remote HTTP service (`url`), its tier, merged timeouts and URLs.
 *
 * A service's `tier` is its *effective* tier: a local process always ends with
 * `forceKill`; a remote service has no process, so only its `http` step is kept.
 */
import path from 'node:path';
import { effectiveSteps } from '../../machines/steps.js';
import type { RestartPolicy } from '../../machines/types.js';
import { DEFAULT_LOCAL_TIER, DEFAULT_REMOTE_TIER, DEFAULT_RESTART, MIN_RESTART_BACKOFF_MS, TIMEOUT_DEFAULTS } from './defaults.js';
import { TOKEN_ENV } from '../protocol.js';
import { healthcheckOf } from './healthcheck.js';
import { healthUrlOf, localPortOf, readinessOf, shutdownUrlOf } from './endpoints.js';
import { resolveServiceEnv } from './env.js';
import type { Lookup } from './interpolate.js';
import { tlsOf } from './tls.js';
import { parseSection, type Problems } from './problems.js';
import { resolveRunAs } from './run-as.js';
import { serviceSchema, type RawService } from './schema.js';
import { mergeTimeouts, type TierTable } from './tiers.js';
import type { ResolvedService, ResolvedTier } from './types.js';

/** What resolving a service needs from the rest of the file. */
export interface ServiceContext {
  tiers: TierTable;
  /** Folder of the config file: relative `cwd` and `tokenFile` resolve against it. */
  baseDir: string;
  problems: Problems;
  /** The config's variables, for `${VAR}` in `env` (with the service's env files before them). */
  variables: Lookup;
}

// Keys that only make sense for one kind of service, and why.
const LOCAL_ONLY = {
  cwd: 'only for local services (those with a command)',
  env: 'only for local services (those with a command)',
  env_file: 'only for local services (those with a command)',
  port: "only for local services; a remote service's port is part of its url",
  signal: 'only for local services: a remote service has no process to signal',
  user: 'only for local services: tierdown runs no process for a remote one',
  group: 'only for local services: tierdown runs no process for a remote one',
} as const;

function isKnownTier(name: string, tierName: string, { tiers, problems }: ServiceContext): boolean {
  if (tiers.has(tierName)) return true;
  const known = [...tiers.keys()].join(', ');
  problems.add(['services', name, 'tier'], `unknown tier ${JSON.stringify(tierName)} (known: ${known})`);
  return false;
}

function tierOf(name: string, raw: RawService, context: ServiceContext): ResolvedTier | undefined {
  const tierName = raw.tier ?? (raw.url !== undefined ? DEFAULT_REMOTE_TIER : DEFAULT_LOCAL_TIER);
  if (!isKnownTier(name, tierName, context)) return undefined;
  // A tier the file gets wrong is already reported under `tiers`; say nothing more here.
  const tier = context.tiers.get(tierName) ?? undefined;
  if (!tier || raw.url === undefined) return tier;
  if (!tier.steps.includes('http') && !tier.steps.includes('command')) {
    context.problems.add(
      ['services', name, 'tier'],
      `tier "${tierName}" has no http step, and HTTP (or a stop command) is the only way to stop a remote service`,
    );
    return undefined;
  }
  return { ...tier, steps: effectiveSteps(tier.steps, false) };
}

function restartOf(raw: RawService): RestartPolicy {
  const value = raw.restart;
  if (value === undefined) return { ...DEFAULT_RESTART };
  if (typeof value === 'string') return { ...DEFAULT_RESTART, policy: value };
  return {
    policy: value.policy,
    maxRestarts: value.max_restarts ?? DEFAULT_RESTART.maxRestarts,
    backoffMs: Math.max(MIN_RESTART_BACKOFF_MS, value.backoff ?? DEFAULT_RESTART.backoffMs),
  };
}

function checkKind(name: string, raw: RawService, problems: Problems): boolean {
  const servicePath = ['services', name];
  if (raw.command === undefined && raw.url === undefined) {
    problems.add(servicePath, 'needs a command (a local process) or a url (a remote service)');
    return false;
  }
  if (raw.command !== undefined && raw.url !== undefined) {
    problems.add(servicePath, 'has both command and url: a service is a local process (command) or a remote service (url)');
    return false;
  }
  let fine = true;
  if (raw.url !== undefined) {
    for (const [key, why] of Object.entries(LOCAL_ONLY)) {
      if (raw[key as keyof typeof LOCAL_ONLY] === undefined) continue;
      problems.add([...servicePath, key], why);
      fine = false;
    }
    // The run's token never leaves the machine: a remote service brings its own.
    if (raw.shutdown?.tokenFile === undefined) {
      problems.add(
        [...servicePath, 'shutdown', 'tokenFile'],
        "required for a remote service: the file holding the token it expects (tierdown's own run token never leaves this machine)",
      );
      fine = false;
    }
  } else if (raw.shutdown?.tokenFile !== undefined) {
    problems.add([...servicePath, 'shutdown', 'tokenFile'], `only for remote services (local ones get their token in ${TOKEN_ENV})`);
    fine = false;
  } else if (raw.shutdown?.url !== undefined && localPortOf(raw.shutdown.url) === undefined) {
    problems.add(
      [...servicePath, 'shutdown', 'url'],
      `must be on this machine (127.0.0.1, ::1 or localhost) for a local service: it carries the run's token, which never leaves this machine`,
    );
    fine = false;
  }
  return fine;
}

/**
 * Resolves one service, adding every problem found.
 *
 * @returns the service, or `undefined` when it has problems.
 */
export function resolveService(name: string, value: unknown, context: ServiceContext): ResolvedService | undefined {
  const { problems, baseDir } = context;
  const servicePath = ['services', name];
  const raw = parseSection(serviceSchema, value, servicePath, problems);
  if (!raw) {
    // A misspelt key elsewhere must not hide an unknown tier, one of the errors users hit most.
    const tierName = serviceSchema.shape.tier.safeParse((value as { tier?: unknown } | null)?.tier).data;
    if (tierName !== undefined) isKnownTier(name, tierName, context);
    return undefined;
  }
  if (!checkKind(name, raw, problems)) return undefined;

  const tier = tierOf(name, raw, context);
  const shutdownUrl = shutdownUrlOf(raw);
  const missingShutdownUrl = tier !== undefined && (tier.auto || tier.steps.includes('http')) && shutdownUrl === undefined;
  if (missingShutdownUrl) {
    problems.add([...servicePath, 'shutdown', 'url'], `tier "${tier.name}" needs a shutdown URL: set shutdown.url or port`);
  }
  // Like `http` without a URL: a tier that runs a stop command needs one to run.
  const missingStopCommand = tier !== undefined && tier.steps.includes('command') && raw.stop === undefined;
  if (missingStopCommand) {
    problems.add([...servicePath, 'stop', 'command'], `tier "${tier.name}" has a command step: set stop.command`);
  }
  const ready = readinessOf(raw, servicePath, problems);
  const runAs = resolveRunAs(raw, servicePath, problems);
  const env = resolveServiceEnv(raw, servicePath, baseDir, problems, context.variables);
  const tls = tlsOf(raw, shutdownUrl, servicePath, baseDir, problems);
  const healthcheck = healthcheckOf(raw, servicePath, problems);
  if (!tier || !ready || missingShutdownUrl || missingStopCommand || runAs === false || !env || tls === null || healthcheck === undefined) return undefined;
  const timeouts = mergeTimeouts(tier.timeouts, raw.timeouts);
  if (raw.stop) timeouts.command = raw.stop.timeout ?? TIMEOUT_DEFAULTS.command;

  return {
    name,
    command: raw.command,
    cwd: path.resolve(baseDir, raw.cwd ?? '.'),
    env,
    port: raw.port,
    url: raw.url,
    tier,
    timeouts,
    dependsOn: [...new Set(raw.depends_on ?? [])],
    shutdownUrl,
    tokenFile: raw.shutdown?.tokenFile === undefined ? undefined : path.resolve(baseDir, raw.shutdown.tokenFile),
    ...(tls ? { tls } : {}),
    healthUrl: healthUrlOf(raw, ready),
    ready,
    restart: restartOf(raw),
    ...(healthcheck ? { healthcheck } : {}),
    required: raw.required ?? true,
    ...(raw.signal ? { signal: raw.signal } : {}),
    ...(runAs ? { runAs } : {}),
    ...(raw.stop ? { stop: { command: raw.stop.command } } : {}),
  };
}
