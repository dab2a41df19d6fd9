/**
 * tierdown's public API: start a stack, stop it tiered, read the report.
 *
 * @example
 * const stack = createOrchestrator(await loadConfig('tierdown.yaml'));
 * await stack.start();
 * const report = await stack.shutdown();
 */
export { createOrchestrator, StartError, type Orchestrator, type OrchestratorOptions } from './engine/orchestrator.js';
export type { EngineTiming } from './engine/run.js';
export type { ServiceStatus } from './engine/status.js';
export type { TierdownEvent, TierdownListener } from './events.js';
export { loadConfig, parseConfig, resolveConfig, ConfigError } from './config/index.js';
export type { ResolvedConfig, ResolvedService, ResolvedTier } from './config/types.js';
export type { ServiceReport, ShutdownReport, StopMethod, Transition, ServiceState, Step, Timeouts } from '../machines/types.js';
export { ShutdownHttpError } from './actors/http-shutdown.js';
