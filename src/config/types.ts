/**
 * The resolved configuration: what `loadConfig` returns once the file has been
 * parsed, checked and filled with defaults. The engine only ever sees this shape.
 */
import type { HealthTiming, RestartPolicy, Step, Timeouts } from '../../machines/types.js';

export type FailurePolicy = 'escalate' | 'rollback';

/** A tier after resolution: the steps of the one statechart it enables. */
export interface ResolvedTier {
  name: string;
  /** `auto` probes the shutdown URL once and becomes `critical` or `simple`. */
  auto: boolean;
  steps: Step[];
  /** Signal sent in the `sigterm` step, e.g. `SIGTERM`, `SIGINT`. */
  signal: NodeJS.Signals;
  /** The tier's own timeouts, already merged over the defaults. */
  timeouts: Timeouts;
}

export type Readiness =
  | { kind: 'started' }
  | { kind: 'http'; url: string; timeoutMs: number }
  | { kind: 'tcp'; port: number; timeoutMs: number }
  /** sd_notify `READY=1` on the service's NOTIFY_SOCKET (docs/containers.md). */
  | { kind: 'notify'; timeoutMs: number };

/** What one check of `healthcheck:` does (docs/config.md#healthcheck). */
export type HealthProbe =
  | { kind: 'http'; url: string }
  | { kind: 'tcp'; port: number }
  /** argv, run with the service's env, cwd and user; exit 0 is healthy. */
  | { kind: 'command'; command: string[] };

/** `healthcheck:` resolved: the check, and its timing (the health statechart's input). */
export interface HealthCheck extends HealthTiming {
  probe: HealthProbe;
}

export interface ResolvedService {
  name: string;
  /** argv; absent for a remote (url-only) service. */
  command?: string[];
  /** Absolute working directory (relative paths resolve against the config file's folder). */
  cwd: string;
  env: Record<string, string>;
  port?: number;
  /** Base URL of a remote service. */
  url?: string;
  tier: ResolvedTier;
  /** Tier timeouts with the service's own overrides merged in. */
  timeouts: Timeouts;
  dependsOn: string[];
  /** Where `POST /shutdown` goes; absent when the tier has no `http` step and no port/url. */
  shutdownUrl?: string;
  /** For remote services: file holding the bearer token. */
  tokenFile?: string;
  /** https: PEM files (absolute paths) for the CA and, for mutual TLS, the client certificate and key. */
  tls?: { ca?: string; cert?: string; key?: string };
  /** URL whose silence means a remote service has gone (awaitingExit). */
  healthUrl?: string;
  ready: Readiness;
  /** Checks made while it runs (`healthcheck:`); absent: none. */
  healthcheck?: HealthCheck;
  /** `required: false`: its being down never fails `/healthz`. */
  required: boolean;
  /** What happens when it ends by itself while the stack runs (`restart:`). */
  restart: RestartPolicy;
  /** The service's own stop signal (`signal:`), overriding its tier's. */
  signal?: NodeJS.Signals;
  /** `user:`/`group:` resolved to ids: its process and its stop command run as them. */
  runAs?: RunAs;
  /** `stop:`: what the `command` step runs; its budget is `timeouts.command`. */
  stop?: { command: string[] };
}

/** Who a service runs as (tierdown, started as root, drops to these ids for it). */
export interface RunAs {
  uid: number;
  gid: number;
  /** For messages and `HOME`/`USER`: the user's name when known. */
  user?: string;
  home?: string;
}

export interface ResolvedConfig {
  /** Absolute path of the file it came from (`<inline>` for the API). */
  source: string;
  onFailure: FailurePolicy;
  tiers: Record<string, ResolvedTier>;
  /** In file order. */
  services: ResolvedService[];
}
