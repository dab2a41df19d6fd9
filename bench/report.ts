/**
 * Turns the samples into what a reader wants: per scenario the median stop
 * time, its ratio to the raw floor and to the fastest peer, and each target
 * of issue 6 marked met or missed.
 */
import type { Sample } from './measure.js';
import type { CriticalSample } from './extras/critical.js';
import { COLD_START_COMMANDS } from './extras/cold-start.js';
import type { Kind } from './services.js';

export interface ScenarioResult {
  kind: Kind;
  n: number;
  runner: string;
  label: string;
  peer: boolean;
  samples: Sample[];
  /** Why this tool did not run here. */
  skipped?: string;
  medianMs?: number;
  medianToolMs?: number;
  xRaw?: number;
  /** Tool done against raw done. */
  doneXRaw?: number;
  xFastestPeer?: number;
}

/** Start-up (command → every service ready) of one tool at one N. */
export interface StartupResult {
  n: number;
  tool: string;
  label: string;
  samples: import('./startup.js').StartupSample[];
  skipped?: string;
  medianMs?: number;
  /** What `up` itself printed as its ready time (CLI only). */
  medianReportedMs?: number;
  xRaw?: number;
}

export interface Target {
  goal: string;
  value: string;
  met: boolean | undefined;
}

export interface Extras {
  critical?: {
    helper: boolean;
    samples: CriticalSample[];
    medianGoneMs?: number;
    medianPostToExitMs?: number;
    /** The same bare node:http service stopped by tierdown (the ratio's numerator) and by the raw floor. */
    bareSamples?: CriticalSample[];
    medianBareGoneMs?: number;
    rawSamples?: CriticalSample[];
    medianRawGoneMs?: number;
  };
  /** Each command's cold start (spawn → exit), beside `node -e 0` spawned the same way in the same rounds. */
  coldStart?: { nodeRunsMs: number[]; medianNodeMs?: number; commands: Array<{ name: string; runsMs: number[]; medianMs?: number; skipped?: string }> };
  /** Peak RSS of the API engine per N (from 200 up). */
  rss?: Array<{ n: number; peakKb?: number; medianKb?: number }>;
  startup?: StartupResult[];
}

export function median(values: Array<number | undefined>): number | undefined {
  const sorted = values.filter((value): value is number => value !== undefined && Number.isFinite(value)).sort((a, b) => a - b);
  if (!sorted.length) return undefined;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Fills medians and ratios in place: a failed run (not everything gone in time) counts as no time. */
export function summarise(results: ScenarioResult[]): void {
  for (const result of results) {
    const ok = result.samples.filter((sample) => sample.ok);
    result.medianMs = ok.length ? median(ok.map((sample) => sample.goneMs)) : undefined;
    result.medianToolMs = ok.length ? median(ok.map((sample) => sample.toolMs)) : undefined;
  }
  for (const result of results) {
    const same = results.filter((other) => other.kind === result.kind && other.n === result.n);
    const rawResult = same.find((other) => other.runner === 'raw');
    const raw = rawResult?.medianMs;
    const peer = fastestPeer(same)?.medianMs;
    if (result.medianMs !== undefined && raw) result.xRaw = result.medianMs / raw;
    if (result.medianToolMs !== undefined && rawResult?.medianToolMs) result.doneXRaw = result.medianToolMs / rawResult.medianToolMs;
    if (result.medianMs !== undefined && peer) result.xFastestPeer = result.medianMs / peer;
  }
}

export function fastestPeer(same: ScenarioResult[]): ScenarioResult | undefined {
  const peers = same.filter((result) => result.peer && result.medianMs !== undefined);
  return peers.sort((a, b) => (a.medianMs as number) - (b.medianMs as number))[0];
}

const ms = (value: number | undefined) => (value === undefined ? '—' : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));
const times = (value: number | undefined) => (value === undefined ? '—' : `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}×`);

function spread(samples: Sample[]): string {
  const times = samples.filter((sample) => sample.ok).map((sample) => sample.goneMs as number);
  if (!times.length) return '—';
  return `${ms(Math.min(...times))}–${ms(Math.max(...times))}`;
}

function note(result: ScenarioResult): string {
  if (result.skipped) return result.skipped;
  const failed = result.samples.filter((sample) => !sample.ok);
  if (!failed.length) return '';
  return `${failed.length}/${result.samples.length} runs failed: ${failed[0].detail ?? ''}`;
}

export function stopTable(results: ScenarioResult[], runs: number): string {
  const lines = [
    `Stop time: from the stop command until every service process is gone (/proc), median of ${runs} runs (at most 3 at N ≥ 1000 unless --runs is given), in ms.`,
    '× raw: against the raw baseline; × peer: against the fastest of supervisord and pm2 at the same N (below 1 is faster).',
    '',
    'tool done: the tool said it was done (API: report received; CLI: command exited); done × raw: against raw done.',
    '',
    '| kind | N | tool | median ms | min–max | × raw | × peer | tool done ms | done × raw | note |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  // A tool left out on purpose (--only, --no-peers) gets no row; one missing here says why.
  for (const result of results.filter((row) => !row.skipped?.startsWith('not selected'))) {
    lines.push(
      `| ${result.kind} | ${result.n} | ${result.label} | ${ms(result.medianMs)} | ${spread(result.samples)} | ${times(result.xRaw)} | ${times(result.xFastestPeer)} | ${ms(result.medianToolMs)} | ${times(result.doneXRaw)} | ${note(result).replaceAll('|', '/')} |`,
    );
  }
  return lines.join('\n');
}

const mb = (kb: number | undefined) => (kb === undefined ? '—' : `${(kb / 1024).toFixed(1)} MB`);

export function extrasTable(extras: Extras): string {
  const lines = ['| measure | median | note |', '|---|---:|---|'];
  const { critical, coldStart, rss } = extras;
  if (critical) {
    const via = `${critical.helper ? 'Node service using tierdown/service' : 'bare node:http service (helper not built)'}, ready: http /health`;
    lines.push(`| critical tier, stop → process gone (/proc) | ${ms(critical.medianGoneMs)} ms | ${via}, ${critical.samples.length} runs |`);
    lines.push(`| critical tier, POST → exit (engine report) | ${ms(critical.medianPostToExitMs)} ms | httpShutdown → stopped transitions |`);
    if (critical.rawSamples) {
      lines.push(`| critical tier, bare node:http service, stop → gone | ${ms(critical.medianBareGoneMs)} ms | tierdown API, ${critical.bareSamples?.length ?? 0} runs |`);
      lines.push(`| raw HTTP floor, bare node:http service, stop → gone | ${ms(critical.medianRawGoneMs)} ms | POST /shutdown, wait for the exit; ${critical.rawSamples.length} runs |`);
    }
  }
  for (const row of rss ?? []) {
    lines.push(`| engine peak RSS (VmHWM) at N=${row.n} | ${mb(row.medianKb)} | max ${mb(row.peakKb)}; API engine in its own process |`);
  }
  if (coldStart) {
    for (const row of coldStart.commands) {
      lines.push(`| \`tierdown ${row.name}\` cold start | ${row.medianMs === undefined ? '—' : `${ms(row.medianMs)} ms`} | ${row.skipped ?? `${row.runsMs.length} runs`} |`);
    }
    lines.push(`| \`node -e 0\` cold start | ${ms(coldStart.medianNodeMs)} ms | same rounds, interleaved; ${coldStart.nodeRunsMs.length} runs |`);
  }

  return lines.join('\n');
}

/** Start-up: command → every service ready, per tool, against the raw floor. */
export function startupTable(rows: StartupResult[]): string {
  const lines = [
    'Start-up: from the command (fork/spawn) until every service accepts TCP (ready: tcp), median ms.',
    '',
    '| N | tool | median ms | min–max | × raw | `up` says | note |',
    '|---:|---|---:|---:|---:|---:|---|',
  ];
  for (const row of rows.filter((result) => !result.skipped?.startsWith('not selected'))) {
    const ok = row.samples.filter((sample) => sample.ok).map((sample) => sample.readyMs as number);
    const range = ok.length ? `${ms(Math.min(...ok))}–${ms(Math.max(...ok))}` : '—';
    const failed = row.samples.filter((sample) => !sample.ok);
    const why = row.skipped ?? (failed.length ? `${failed.length}/${row.samples.length} runs failed: ${failed[0].detail ?? ''}` : '');
    lines.push(`| ${row.n} | ${row.label} | ${ms(row.medianMs)} | ${range} | ${times(row.xRaw)} | ${row.medianReportedMs === undefined ? '' : `${ms(row.medianReportedMs)} ms`} | ${why.replaceAll('|', '/')} |`);
  }
  return lines.join('\n');
}

export function summariseStartup(rows: StartupResult[]): void {
  for (const row of rows) {
    const ok = row.samples.filter((sample) => sample.ok);
    row.medianMs = median(ok.map((sample) => sample.readyMs));
    row.medianReportedMs = median(ok.map((sample) => sample.reportedMs));
  }
  for (const row of rows) {
    const raw = rows.find((other) => other.n === row.n && other.tool === 'raw')?.medianMs;
    if (row.medianMs !== undefined && raw) row.xRaw = row.medianMs / raw;
  }
}

/** Cost per added service between two sizes, for gone and done: (median(big) − median(small)) / (big − small). */
export function slopeTable(results: ScenarioResult[], small: number, big: number): string | undefined {
  const rows: string[] = [];
  for (const result of results.filter((row) => row.n === big && row.medianMs !== undefined)) {
    const base = find(results, result.kind, small, result.runner);
    if (base?.medianMs === undefined) continue;
    const per = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '—' : `${(((a - b) / (big - small)) * 1000).toFixed(0)} µs`);
    rows.push(`| ${result.kind} | ${result.label} | ${per(result.medianMs, base.medianMs)} | ${per(result.medianToolMs, base.medianToolMs)} |`);
  }
  if (!rows.length) return undefined;
  return [`Cost per added service, N = ${small} → ${big}: (median at ${big} − median at ${small}) / ${big - small}.`, '', '| kind | tool | gone, per service | done, per service |', '|---|---|---:|---:|', ...rows].join('\n');
}

function find(results: ScenarioResult[], kind: Kind, n: number, runner: string) {
  return results.find((result) => result.kind === kind && result.n === n && result.runner === runner);
}

/** Every target (issues 6 and 14); `met` is undefined when the figure is missing. */
export function targets(results: ScenarioResult[], extras: Extras): Target[] {
  const check = (goal: string, value: number | undefined, format: (value: number) => string, ok: (value: number) => boolean): Target =>
    value === undefined ? { goal, value: 'not measured', met: undefined } : { goal, value: format(value), met: ok(value) };
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || !b ? undefined : a / b);
  const at = (limit: number) => (value: number) => value <= limit;
  const list: Target[] = [];
  const oneApi = find(results, 'cooperative', 1, 'api');
  const oneCli = find(results, 'cooperative', 1, 'cli');
  const oneRaw = find(results, 'cooperative', 1, 'raw');
  list.push(check('first stop: 1 cooperative, API gone ≤ 2× raw', oneApi?.xRaw, times, at(2)));
  // A stable first stop: the slowest run of the API's first stop within 3× its fastest.
  const oneApiGone = oneApi?.samples.filter((sample) => sample.ok).map((sample) => sample.goneMs as number) ?? [];
  list.push(
    check(
      'first stop: 1 cooperative, API gone max ≤ 3× min over the runs',
      oneApiGone.length > 1 ? Math.max(...oneApiGone) / Math.min(...oneApiGone) : undefined,
      (value) => `${times(value)} (${ms(Math.min(...oneApiGone))}–${ms(Math.max(...oneApiGone))} ms)`,
      at(3),
    ),
  );
  list.push(
    check(
      'first stop: 1 cooperative, CLI done ≤ raw done + 15 ms',
      oneCli?.medianToolMs !== undefined && oneRaw?.medianToolMs !== undefined ? oneCli.medianToolMs - oneRaw.medianToolMs : undefined,
      (value) => `raw + ${ms(value)} ms (${ms(oneCli?.medianToolMs)} vs ${ms(oneRaw?.medianToolMs)} ms)`,
      at(15),
    ),
  );
  for (const kind of ['cooperative', 'stubborn'] as const) {
    list.push(check(`200 ${kind}, API gone ≤ ${kind === 'cooperative' ? '1.2' : '1.1'}× raw`, find(results, kind, 200, 'api')?.xRaw, times, at(kind === 'cooperative' ? 1.2 : 1.1)));
    list.push(check(`200 ${kind}, API done ≤ 1.2× raw done`, find(results, kind, 200, 'api')?.doneXRaw, times, at(1.2)));
    list.push(check(`200 ${kind}, CLI done ≤ 1.2× raw done`, find(results, kind, 200, 'cli')?.doneXRaw, times, at(1.2)));
  }
  for (const kind of ['cooperative', 'stubborn'] as const) {
    for (const runner of ['api', 'cli']) {
      const row = find(results, kind, 1000, runner);
      const label = runner === 'api' ? 'API' : 'CLI';
      list.push(check(`1000 ${kind}, ${label} gone ≤ 1.2× raw`, row?.xRaw, times, at(1.2)));
      list.push(check(`1000 ${kind}, ${label} done ≤ 1.3× raw done`, row?.doneXRaw, times, at(1.3)));
    }
  }
  // Faster than every installed peer at every N it ran: the worst ratio of API and CLI (gone), per peer.
  for (const peerKey of [...new Set(results.filter((row) => row.peer && row.medianMs !== undefined).map((row) => row.runner))]) {
    let worst: { value: number; where: string } | undefined;
    for (const peerRow of results.filter((row) => row.runner === peerKey && row.medianMs !== undefined)) {
      for (const runner of ['api', 'cli']) {
        const ours = find(results, peerRow.kind, peerRow.n, runner);
        const value = ratio(ours?.medianMs, peerRow.medianMs);
        if (value !== undefined && (!worst || value > worst.value)) worst = { value, where: `${runner.toUpperCase()}, ${peerRow.kind} ${peerRow.n}` };
      }
    }
    const label = results.find((row) => row.runner === peerKey)?.label ?? peerKey;
    list.push(check(`faster than ${label} at every N (API and CLI gone ÷ ${label})`, worst?.value, (value) => `worst ${times(value)} (${worst?.where})`, (value) => value < 1));
  }
  for (const n of [200, 1000]) {
    for (const tool of ['api', 'cli']) {
      const row = extras.startup?.find((candidate) => candidate.n === n && candidate.tool === tool);
      list.push(check(`start-up, ${n} services ready: ${tool.toUpperCase()} ≤ 1.3× raw`, row?.xRaw, times, at(1.3)));
    }
  }
  const critical = extras.critical;
  list.push(check('critical via HTTP ≤ 25 ms end to end (tierdown/service helper)', critical?.medianGoneMs, (value) => `${ms(value)} ms`, at(25)));
  list.push(
    check('critical via HTTP ≤ 1.3× the raw HTTP floor (same bare service)', ratio(critical?.medianBareGoneMs, critical?.medianRawGoneMs), (value) => `${times(value)} (${ms(critical?.medianBareGoneMs)} vs ${ms(critical?.medianRawGoneMs)} ms)`, at(1.3)),
  );
  const rssAt = (n: number) => extras.rss?.find((row) => row.n === n)?.peakKb;
  list.push(check('engine RSS at 200 services ≤ 150 MB', rssAt(200), (value) => mb(value), at(150 * 1024)));
  list.push(check('engine RSS at 1000 services ≤ 200 MB', rssAt(1000), (value) => mb(value), at(200 * 1024)));
  // Every command's cold start against `node -e 0` of the same rounds (`ps` is what people run in loops).
  for (const row of extras.coldStart?.commands ?? COLD_START_COMMANDS.map(({ name }): { name: string; medianMs?: number } => ({ name }))) {
    const node = extras.coldStart?.medianNodeMs;
    list.push(check(`${row.name} cold start ≤ 2× \`node -e 0\` (same run)`, ratio(row.medianMs, node), (value) => `${times(value)} (${ms(row.medianMs)} vs ${ms(node)} ms)`, at(2)));
  }
  return list;
}

export function targetLines(list: Target[]): string {
  return list.map((target) => `- [${target.met === undefined ? 'n/a   ' : target.met ? 'met   ' : 'missed'}] ${target.goal}: ${target.value}`).join('\n');
}
