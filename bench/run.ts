/**
 * `npm run bench`: times tierdown's stop against the raw floor and against
 * supervisord and pm2 (issue 6), then prints the table and the targets and
 * writes everything to bench/results/. Never part of `npm test`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { helperAvailable, measureCritical, measureRawHttp, type CriticalSample } from './extras/critical.js';
import { COLD_START_COMMANDS, runCommand, runNodeBaseline, writeColdStartConfig } from './extras/cold-start.js';
import { cleanupOnExit } from './ledger.js';
import { measureStop } from './measure.js';
import { parseOptions, type BenchOptions } from './options.js';
import { extrasTable, median, slopeTable, startupTable, stopTable, summarise, summariseStartup, targetLines, targets, type Extras, type ScenarioResult, type StartupResult } from './report.js';
import { apiRunner } from './runners/api.js';
import { cliRunner } from './runners/cli.js';
import { pm2Runner } from './runners/pm2.js';
import { rawRunner } from './runners/raw.js';
import { supervisordRunner } from './runners/supervisord.js';
import { RunnerUnavailable, type Runner } from './runners/types.js';
import { GRACE_MS, KINDS, servicesSettled } from './services.js';
import { measureStartup, perlAvailable, STARTUP_TOOLS, type StartupTool } from './startup.js';

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
  if (!options.stop) return results;
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
      const rounds = options.runsAt(n);
      for (let round = 1; round <= rounds; round++) {
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
            log(`${kind} N=${n} ${runner.key} ${round}/${rounds}: ${sample.goneMs?.toFixed(1) ?? '—'} ms${tool}${sample.ok ? '' : ` FAILED: ${sample.detail}`}${took}`);
          } catch (error) {
            if (error instanceof RunnerUnavailable) {
              skipped[runner.key] = `skipped: ${error.message}`;
              for (const other of results) if (other.runner === runner.key) other.skipped = skipped[runner.key];
              log(`${runner.key}: ${error.message} — skipped from now on`);
            } else {
              result.samples.push({ ok: false, processes: 0, detail: (error as Error).message });
              log(`${kind} N=${n} ${runner.key} ${round}/${rounds}: FAILED to run: ${(error as Error).message}`);
            }
          }
        }
      }
    }
  }
  summarise(results);
  return results;
}

async function startupScenarios(options: BenchOptions, workDir: string, skipped: Record<string, string>): Promise<StartupResult[]> {
  const rows: StartupResult[] = [];
  const labels: Record<StartupTool, string> = { raw: 'raw baseline', api: 'tierdown API', cli: 'tierdown CLI' };
  const noPerl = await perlAvailable();
  for (const n of options.startupSizes) {
    const here = STARTUP_TOOLS.map((tool): StartupResult => {
      const row: StartupResult = { n, tool, label: labels[tool], samples: [] };
      if (options.only && tool !== 'raw' && !options.only.includes(tool)) row.skipped = 'not selected (--only)';
      else if (!options.includes('startup', n, tool)) row.skipped = 'not selected (--quick)';
      else if (skipped[tool]) row.skipped = skipped[tool];
      else if (noPerl) row.skipped = noPerl;
      return row;
    });
    rows.push(...here);
    for (let round = 1; round <= options.runsAt(n); round++) {
      for (const row of here.filter((candidate) => !candidate.skipped)) {
        const sample = await measureStartup(row.tool as StartupTool, n, workDir);
        row.samples.push(sample);
        log(`startup N=${n} ${row.tool} ${round}/${options.runsAt(n)}: ${sample.readyMs?.toFixed(0) ?? '—'} ms${sample.reportedMs === undefined ? '' : ` (up says ${sample.reportedMs} ms)`}${sample.ok ? '' : ` FAILED: ${sample.detail}`}`);
      }
    }
  }
  summariseStartup(rows);
  return rows;
}

async function measureCriticalExtras(options: BenchOptions, workDir: string): Promise<Extras['critical']> {
  // Interleaved per run: the raw HTTP floor, tierdown on the same bare service, tierdown on a helper service.
  const helper = await helperAvailable();
  const samples: CriticalSample[] = [];
  const bareSamples: CriticalSample[] = [];
  const rawSamples: CriticalSample[] = [];
  const failed = (error: Error): CriticalSample => ({ ok: false, processes: 0, detail: error.message });
  const gone = (sample: CriticalSample) => `${sample.goneMs?.toFixed(1) ?? '—'} ms${sample.ok ? '' : ` FAILED: ${sample.detail}`}`;
  for (let run = 1; run <= options.extraRuns; run++) {
    const raw = await measureRawHttp().catch(failed);
    const bare = await measureCritical(workDir, false).catch(failed);
    const sample = helper ? await measureCritical(workDir, true).catch(failed) : bare;
    rawSamples.push(raw);
    bareSamples.push(bare);
    samples.push(sample);
    log(`critical ${run}/${options.extraRuns}: raw HTTP floor ${gone(raw)}; tierdown, bare service ${gone(bare)}; tierdown, helper service ${gone(sample)}, POST→exit ${sample.postToExitMs?.toFixed(1) ?? '—'} ms`);
  }
  const viaHttp = (list: CriticalSample[]) => list.filter((sample) => sample.ok && sample.method === 'http');
  return {
    helper,
    samples,
    medianGoneMs: median(viaHttp(samples).map((s) => s.goneMs)),
    medianPostToExitMs: median(viaHttp(samples).map((s) => s.postToExitMs)),
    bareSamples,
    medianBareGoneMs: median(viaHttp(bareSamples).map((s) => s.goneMs)),
    rawSamples,
    medianRawGoneMs: median(rawSamples.filter((s) => s.ok).map((s) => s.goneMs)),
  };
}

/** Each command's cold start, interleaved with `node -e 0` round by round. */
async function measureColdStarts(options: BenchOptions, workDir: string): Promise<NonNullable<Extras['coldStart']>> {
  const file = writeColdStartConfig(workDir);
  const rows: NonNullable<Extras['coldStart']>['commands'] = [];
  for (const command of COLD_START_COMMANDS) {
    const first = await runCommand(command.argv(file));
    const row = { name: command.name, runsMs: [] as number[], skipped: undefined as string | undefined };
    if (!command.expect.includes(first.code ?? -1)) {
      const why = first.output.trim().split('\n').slice(-2).join(' / ') || `exit ${first.code}`;
      row.skipped = `skipped: exit ${first.code}, expected ${command.expect.join(' or ')}: ${why}`;
      log(`${command.name} cold start ${row.skipped}`);
    }
    rows.push(row);
  }
  const nodeRunsMs: number[] = [];
  for (let run = 1; run <= options.extraRuns; run++) {
    nodeRunsMs.push((await runNodeBaseline()).ms);
    for (const row of rows.filter((candidate) => !candidate.skipped)) {
      const command = COLD_START_COMMANDS.find((candidate) => candidate.name === row.name);
      if (command) row.runsMs.push((await runCommand(command.argv(file))).ms);
    }
  }
  const commands = rows.map((row) => ({ ...row, medianMs: median(row.runsMs) }));
  log(`cold start over ${nodeRunsMs.length} runs: node -e 0 ${median(nodeRunsMs)?.toFixed(1)} ms; ${commands.map((row) => `${row.name} ${row.medianMs?.toFixed(1) ?? '—'}`).join(', ')}`);
  return { nodeRunsMs, medianNodeMs: median(nodeRunsMs), commands };
}

async function measureExtras(options: BenchOptions, workDir: string, results: ScenarioResult[]): Promise<Extras> {
  const extras: Extras = { rss: [] };
  for (const n of options.sizes.filter((size) => size >= 200)) {
    const rssSamples = results.filter((result) => result.runner === 'api' && result.n === n).flatMap((result) => result.samples);
    const rss = rssSamples.map((sample) => sample.engineRssKb).filter((kb): kb is number => kb !== undefined);
    if (rss.length) extras.rss?.push({ n, peakKb: Math.max(...rss), medianKb: median(rss) });
  }
  if (!options.extras) return extras;

  if (options.extrasOnly('critical')) extras.critical = await measureCriticalExtras(options, workDir);
  if (!options.extrasOnly('cold')) return extras;
  extras.coldStart = await measureColdStarts(options, workDir);
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
    const startup = await startupScenarios(options, workDir, skipped);
    const extras = await measureExtras(options, workDir, results);
    extras.startup = startup;
    const slope = slopeTable(results, 200, 1000);
    const goals = targets(results, extras);
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Linux ${release()}, Node ${process.version}`;
    const text = [
      `tierdown bench — ${startedAt.toISOString()} — ${machine}${options.quick ? ' — quick set' : ''}`,
      '',
      stopTable(results, options.runs),
      '',
      ...(slope ? [slope, ''] : []),
      ...(startup.length ? [startupTable(startup), ''] : []),
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
