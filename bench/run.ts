/**
 * `npm run bench`: times tierdown's stop against the raw floor and against
 * supervisord and pm2 (issue 6), then prints the table and the targets and
 * writes everything to bench/results/. Never part of `npm test`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helperAvailable, measureCritical, type CriticalSample } from './extras/critical.js';
import { runValidate, writeValidateConfig } from './extras/validate.js';
import { cleanupOnExit } from './ledger.js';
import { measureStop } from './measure.js';
import { parseOptions, type BenchOptions } from './options.js';
import { extrasTable, median, stopTable, summarise, targetLines, targets, type Extras, type ScenarioResult } from './report.js';
import { apiRunner } from './runners/api.js';
import { cliRunner } from './runners/cli.js';
import { pm2Runner } from './runners/pm2.js';
import { rawRunner } from './runners/raw.js';
import { supervisordRunner } from './runners/supervisord.js';
import { RunnerUnavailable, type Runner } from './runners/types.js';
import { GRACE_MS, KINDS, servicesSettled } from './services.js';

const RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

async function chooseRunners(options: BenchOptions): Promise<{ runners: Runner[]; skipped: Record<string, string> }> {
  const all = [rawRunner, apiRunner, cliRunner, supervisordRunner, pm2Runner];
  const skipped: Record<string, string> = {};
  const runners: Runner[] = [];
  for (const runner of all) {
    const reason =
      options.only && runner.key !== 'raw' && !options.only.includes(runner.key)
        ? 'not selected (--only)'
        : runner.peer && !options.peers
          ? 'not selected (--no-peers)'
          : await runner.unavailable();
    if (reason) skipped[runner.key] = reason;
    else runners.push(runner);
  }
  return { runners, skipped };
}

async function stopScenarios(options: BenchOptions, workDir: string, runners: Runner[], skipped: Record<string, string>) {
  const results: ScenarioResult[] = [];
  for (const kind of KINDS) {
    for (const n of options.sizes) {
      const here = [rawRunner, apiRunner, cliRunner, supervisordRunner, pm2Runner].map((runner): ScenarioResult => {
        const base = { kind, n, runner: runner.key, label: runner.label, peer: runner.peer, samples: [] };
        if (!options.includes(kind, n, runner.key)) return { ...base, skipped: 'not selected (--quick)' };
        if (skipped[runner.key]) return { ...base, skipped: skipped[runner.key] };
        if (runner.maxN !== undefined && n > runner.maxN) return { ...base, skipped: `capped at N ≤ ${runner.maxN}` };
        return base;
      });
      results.push(...here);
      // Rounds interleave the tools, so a slow moment of the machine does not land on one of them.
      for (let round = 1; round <= options.runs; round++) {
        for (const result of here) {
          const runner = runners.find((candidate) => candidate.key === result.runner);
          if (!runner || result.skipped) continue;
          const began = performance.now();
          try {
            const sample = await measureStop(() => runner.start(n, kind, workDir), {
              settled: (procs, services) => servicesSettled(services, procs),
              stopTimeoutMs: GRACE_MS * 4 + 60_000,
            });
            result.samples.push(sample);
            const tool = sample.toolMs === undefined ? '' : ` (tool done ${sample.toolMs.toFixed(1)} ms)`;
            const took = ` [run took ${((performance.now() - began) / 1000).toFixed(1)} s]`;
            log(`${kind} N=${n} ${runner.key} ${round}/${options.runs}: ${sample.goneMs?.toFixed(1) ?? '—'} ms${tool}${sample.ok ? '' : ` FAILED: ${sample.detail}`}${took}`);
          } catch (error) {
            if (error instanceof RunnerUnavailable) {
              skipped[runner.key] = `skipped: ${error.message}`;
              for (const other of results) if (other.runner === runner.key) other.skipped = skipped[runner.key];
              log(`${runner.key}: ${error.message} — skipped from now on`);
            } else {
              result.samples.push({ ok: false, processes: 0, detail: (error as Error).message });
              log(`${kind} N=${n} ${runner.key} ${round}/${options.runs}: FAILED to run: ${(error as Error).message}`);
            }
          }
        }
      }
    }
  }
  summarise(results);
  return results;
}

async function measureExtras(options: BenchOptions, workDir: string, results: ScenarioResult[]): Promise<Extras> {
  const extras: Extras = {};
  const largest = Math.max(...options.sizes);
  const rssSamples = results.filter((result) => result.runner === 'api' && result.n === largest).flatMap((result) => result.samples);
  const rss = rssSamples.map((sample) => sample.engineRssKb).filter((kb): kb is number => kb !== undefined);
  extras.rss = { n: largest, peakKb: rss.length ? Math.max(...rss) : undefined, medianKb: median(rss) };
  if (!options.extras) return extras;

  const helper = await helperAvailable();
  const samples: CriticalSample[] = [];
  for (let run = 1; run <= options.extraRuns; run++) {
    const sample = await measureCritical(workDir, helper).catch((error: Error): CriticalSample => ({ ok: false, processes: 0, detail: error.message }));
    samples.push(sample);
    log(`critical ${run}/${options.extraRuns}: ${sample.goneMs?.toFixed(1) ?? '—'} ms gone, POST→exit ${sample.postToExitMs?.toFixed(1) ?? '—'} ms${sample.ok ? '' : ` FAILED: ${sample.detail}`}`);
  }
  const ok = samples.filter((sample) => sample.ok && sample.method === 'http');
  extras.critical = { helper, samples, medianGoneMs: median(ok.map((s) => s.goneMs)), medianPostToExitMs: median(ok.map((s) => s.postToExitMs)) };

  const file = writeValidateConfig(workDir);
  const first = await runValidate(file);
  if (first.code !== 0) {
    const why = first.output.trim().split('\n').slice(-2).join(' / ') || `exit ${first.code}`;
    extras.validate = { runsMs: [], skipped: `skipped: ./bin/tierdown validate failed (exit ${first.code}): ${why}` };
    log(extras.validate.skipped as string);
  } else {
    const runsMs: number[] = [];
    for (let run = 1; run <= options.extraRuns; run++) runsMs.push((await runValidate(file)).ms);
    extras.validate = { runsMs, medianMs: median(runsMs) };
    log(`validate: median ${extras.validate.medianMs?.toFixed(1)} ms over ${runsMs.length} runs`);
  }
  return extras;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  cleanupOnExit();
  const workDir = mkdtempSync(join(tmpdir(), 'tierdown-bench-'));
  const startedAt = new Date();
  try {
    const { runners, skipped } = await chooseRunners(options);
    for (const [key, reason] of Object.entries(skipped)) log(`${key}: ${reason}`);
    const results = await stopScenarios(options, workDir, runners, skipped);
    const extras = await measureExtras(options, workDir, results);
    const goals = targets(results, extras);
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Linux ${release()}, Node ${process.version}`;
    const text = [
      `tierdown bench — ${startedAt.toISOString()} — ${machine}${options.quick ? ' — quick set' : ''}`,
      '',
      stopTable(results, options.runs),
      '',
      extrasTable(extras),
      '',
      'Targets (goals, not asserts):',
      targetLines(goals),
      '',
    ].join('\n');
    process.stdout.write(`\n${text}`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    const json = JSON.stringify({ startedAt, machine, options, skipped, results, extras, targets: goals }, null, 1);
    const stamp = startedAt.toISOString().replaceAll(':', '-').replace(/\..*/, '');
    writeFileSync(join(RESULTS_DIR, `bench-${stamp}${options.quick ? '-quick' : ''}.json`), json);
    writeFileSync(join(RESULTS_DIR, 'latest.json'), json);
    writeFileSync(join(RESULTS_DIR, 'latest.md'), text);
    log(`results: ${join(RESULTS_DIR, 'latest.json')}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
