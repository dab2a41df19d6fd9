/**
 * The config loader: a `tierdown.yaml` (or JSON, or an object) in, the
 * `ResolvedConfig` the engine runs out, or a `ConfigError` listing every problem.
 */
export { loadConfig, parseConfig } from './load.js';
export { resolveConfig } from './resolve.js';
export { checkHost, hostProblems } from './host.js';
export { parseDuration } from './durations.js';
export { ConfigError, ConfigFileError, type ConfigErrorCode, type ConfigProblem } from './errors.js';
export {
  BUILT_IN_TIERS,
  DEFAULT_CONFIG_FILES,
  DEFAULT_FAILURE_POLICY,
  DEFAULT_LOCAL_TIER,
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_REMOTE_TIER,
  DEFAULT_SIGNAL,
  DEFAULT_TIMEOUTS,
  TIMEOUT_DEFAULTS,
} from './defaults.js';
export { configFileSchema } from './schema.js';
export type { FailurePolicy, Readiness, ResolvedConfig, ResolvedService, ResolvedTier } from './types.js';
