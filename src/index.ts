/**
 * tierdown's public API: start a stack, stop it tiered, read the report.
 *
 * @example
 * const stack = createOrchestrator(await loadConfig('tierdown.yaml'));
 * await stack.start();
 * const report = await stack.shutdown();
 */
export { createOrchestrator, StartError, type Orchestrator, type OrchestratorOptions, type StopOptions } from './engine/orchestrator.js';
export type { EngineTiming } from './engine/run.js';
export type { LifeState, ServiceStatus } from './engine/status.js';
export { UnknownServiceError } from './engine/service-names.js';
export { OrchestratorOptionError } from './engine/options.js';
export type { SignalStep } from '../machines/orchestrator.js';
export type { TierdownEvent, TierdownListener } from './events.js';
export { loadConfig, parseConfig, resolveConfig, ConfigError, ConfigFileError } from './config/index.js';
/** Every error tierdown throws is a `TierdownError` with a stable `code` (docs/errors.md). */
export { TierdownError, isTierdownError, ERROR_CODES, type TierdownErrorCode } from './errors.js';
export type { ResolvedConfig, ResolvedService, ResolvedTier } from './config/types.js';
export type { ServiceReport, ShutdownReport, StopMethod, Transition, ServiceState, Step, Timeouts } from '../machines/types.js';
/**
 * Watching a run: `--inspect` and `--ui` as API.
 * @example
 * const inspector = await startInspectorRelay();          // ws://127.0.0.1:8080, Stately inspection protocol
 * const stack = createOrchestrator(config, { inspect: inspector.inspect });
 * const ui = await startVisualizer(stack);                 // http://127.0.0.1:4840/
 * // ... await stack.shutdown(); await ui.close(); await inspector.close();
 */
export { startInspectorRelay, DEFAULT_INSPECT_PORT, type InspectorRelay, type InspectorRelayOptions } from './inspector/relay.js';
export { startVisualizer, DEFAULT_UI_PORT, type Visualizer, type VisualizerOptions, type VisualizedStack } from '../visualizer/server.js';
export { PortInUseError } from './serve/loopback.js';
export { machineGraph, serviceGraph, chartOf, toMermaid, type GraphExport, type Chart } from './graph/index.js';
