/**
 * `tierdown demo`: the seed's MediVote stack, end to end — start the six
 * services in dependency order, show each one serving, shut the stack down
 * tiered, then print the timeline, per-tier metrics, and a check of the state
 * files the critical services saved (docs/cli.md). `-c FILE` runs another stack
 * the same way. The demo only drives the engine and reads its report.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ShutdownReport } from '../../machines/types.js';
import { loadCommandConfig } from './load-config.js';
import { createOrchestrator, StartError, type Orchestrator } from '../engine/orchestrator.js';
import { parseCommandArgs, parseFailurePolicy, parseOrder } from './args.js';
import { timelineLines, tierMetricsLines } from './demo/metrics.js';
import { showServing } from './demo/smoke.js';
import { bundledConfigPath, ensurePortsFree, withStateDir } from './demo/stack.js';
import { checkStateFiles } from './demo/state-files.js';
import { formatMs } from './format.js';
import { EXIT, line, type CliIO } from './io.js';
import { startObservers } from './observers.js';
import { checkReportPath, writeReport } from './report-file.js';
import { withPlan } from '../engine/report-plan.js';
import { handleStopSignals } from '../engine/stop-signals.js';
import { attachView } from './view/index.js';

/** `demo --ui`: how long the demo waits for a page to open before it stops the stack anyway. */
const PAGE_WAIT_MS = 60_000;
/** Once the page is open, how long it shows the stack running before the stop begins. */
const SHOW_RUNNING_MS = 1500;

/** Resolves at the next report whose stop left nothing running. */
function finalReport(stack: Orchestrator): Promise<ShutdownReport> {
  return new Promise((resolve) => {
    const unsubscribe = stack.subscribe((event) => {
      if (event.type === 'report' && stack.finished) {
        unsubscribe();
        resolve(event.report);
      }
    });
  });
}

export async function demo(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, 'demo');
  const order = parseOrder(values.order);
  const onFailure = parseFailurePolicy(values['on-failure']);
  const json = values.json ?? false;
  // With --json, stdout carries NDJSON only; the story goes to stderr.
  const out = json ? io.stderr : io.stdout;
  const say = (text = '') => line(out, text);

  const loaded = await loadCommandConfig(values, io, values.config ?? bundledConfigPath());
  if (values.report) checkReportPath(values.report, io.cwd);
  await ensurePortsFree(loaded);
  const ownStateDir = !io.env.STATE_DIR;
  const stateDir = io.env.STATE_DIR || (await mkdtemp(path.join(tmpdir(), 'tierdown-demo-')));
  await mkdir(stateDir, { recursive: true });
  const config = withStateDir(loaded, stateDir);

  say(`tierdown demo — ${values.config ? path.relative(io.cwd, config.source) : 'MediVote, the seed’s stack'}: ${config.services.length} services`);
  say(`state files go to ${stateDir}`);
  say();
  say('▸ start, in dependency order');
  const observers = await startObservers(values);
  const stack = createOrchestrator(config, { order, onFailure, inspect: observers.inspect });
  const view = attachView(stack, io, { json });
  await observers.attach(stack, say);
  const finish = async (status: number) => (await observers.holdPage(say), await observers.close(), status);
  const signals = handleStopSignals(stack, (text) => view.note(text));
  const ended = finalReport(stack);
  const startedAt = performance.now();
  // A stop during start (Ctrl-C, a failed service) ends the start too: race them.
  const started = await Promise.race([
    stack.start().then(
      () => 'ready' as const,
      (error: unknown) => {
        if (error instanceof StartError) return error;
        throw error;
      },
    ),
    ended.then(() => 'interrupted' as const),
  ]);
  const problems: string[] = [];
  if (started === 'ready') {
    say(`all ${config.services.length} services ready in ${formatMs(performance.now() - startedAt)}`);
    say();
    say('▸ serving: one real request each');
    const smoke = await showServing(config);
    smoke.lines.forEach((text) => say(text));
    if (!smoke.ok) problems.push('a service did not serve as expected');
    // The whole stop takes a few hundred ms: with --ui, it waits for the page so the stop is seen live.
    if (await observers.waitForPage(say, PAGE_WAIT_MS)) await new Promise((resolve) => setTimeout(resolve, SHOW_RUNNING_MS));
    say();
    say('▸ tiered shutdown');
  } else if (signals.received) {
    problems.push('interrupted before every service was ready');
  } else {
    problems.push(started === 'interrupted' ? 'stopped before every service was ready' : `start failed: ${started.message}`);
    if (started instanceof StartError) view.note(`start failed: ${started.message} — stopping what was started`);
  }
  let report = await stack.shutdown();
  if (report.outcome !== 'stopped') problems.push(`the shutdown ended ${report.outcome}`);
  // A rollback leaves the stack running again: the demo still must not leave anything behind.
  if (!stack.finished) {
    view.note(`the stop ended ${report.outcome}; forcing what is left so the demo leaves nothing running`);
    stack.force();
    report = await ended;
  }
  signals.dispose();
  view.close();

  say();
  say('▸ timeline');
  timelineLines(report).forEach((text) => say(text));
  say();
  say('▸ by tier');
  tierMetricsLines(report).forEach((text) => say(text));
  say();
  say('▸ state files');
  const state = await checkStateFiles(config, stateDir);
  if (state.count === 0) say('  (no service names a STATE_FILE)');
  else state.lines.forEach((text) => say(text));
  if (!state.ok) problems.push('a state file is missing or invalid');
  if (values.report) await writeReport(values.report, withPlan(report, config, onFailure), io.cwd);

  say();
  if (problems.length === 0) {
    say(`demo ok: ${report.services.length} services stopped tiered in ${formatMs(report.durationMs)}, ${state.count} state files valid`);
    if (ownStateDir) await rm(stateDir, { recursive: true, force: true });
    return finish(EXIT.ok);
  }
  say(`demo FAILED: ${problems.join('; ')}`);
  say(`state files kept in ${stateDir}`);
  return finish(EXIT.failed);
}
