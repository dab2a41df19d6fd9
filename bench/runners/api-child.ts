/**
 * tierdown through its API, in a process of its own: the harness sends the
 * config, waits for `start()`, then says `stop` and gets the report's summary.
 * The harness reads this process's peak RSS (VmHWM) before it says `exit`.
 */
import { createOrchestrator, resolveConfig, type Orchestrator } from '../../src/index.js';

const send = (message: Record<string, unknown>) => process.send?.(message);
let stack: Orchestrator | undefined;

process.on('message', async (message: { type: string; config?: unknown; baseDir?: string }) => {
  try {
    if (message.type === 'exit') process.exit(0);
    if (message.type === 'start') {
      stack = createOrchestrator(resolveConfig(message.config, '<bench>', message.baseDir));
      await stack.start();
      send({ type: 'ready', pids: stack.status().map((row) => row.pid) });
    }
    if (message.type === 'stop' && stack) {
      const report = await stack.shutdown();
      const services = report.services.map(({ name, outcome, method, durationMs, verified, transitions }) => ({
        name,
        outcome,
        method,
        durationMs,
        verified,
        transitions,
      }));
      send({ type: 'done', outcome: report.outcome, durationMs: report.durationMs, services });
    }
  } catch (error) {
    send({ type: 'error', message: (error as Error).message });
  }
});
