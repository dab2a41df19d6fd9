/**
 * Turns the samples into what a reader wants: per scenario the median stop
 * time, its ratio to the raw floor and to the fastest peer, and each target
 * of issue 6 marked met or missed.
 */
import type { Sample } from './measure.js';
import type { CriticalSample } from './extras/critical.js';
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
  xFastestPeer?: number;
}

export interface Target {
  goal: string;
  value: string;
  met: boolean | undefined;
}

export interface Extras {
  critical?: { helper: boolean; samples: CriticalSample[]; medianGoneMs?: number; medianPostToExitMs?: number };
  validate?: { medianMs?: number; runsMs: number[]; skipped?: string };
  rss?: { n: number; peakKb?: number; medianKb?: number };
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
    const raw = same.find((other) => other.runner === 'raw')?.medianMs;
    const peer = fastestPeer(same)?.medianMs;
    if (result.medianMs !== undefined && raw) result.xRaw = result.medianMs / raw;
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
    `Stop time: from the stop command until every service process is gone (/proc), median of ${runs} runs, in ms.`,
    '× raw: against the raw baseline; × peer: against the fastest of supervisord and pm2 at the same N (below 1 is faster).',
    '',
    '| kind | N | tool | median ms | min–max | × raw | × peer | tool done ms | note |',
    '|---|---:|---|---:|---:|---:|---:|---:|---|',
  ];
  // A tool left out on purpose (--only, --no-peers) gets no row; one missing here says why.
  for (const result of results.filter((row) => !row.skipped?.startsWith('not selected'))) {
    lines.push(
      `| ${result.kind} | ${result.n} | ${result.label} | ${ms(result.medianMs)} | ${spread(result.samples)} | ${times(result.xRaw)} | ${times(result.xFastestPeer)} | ${ms(result.medianToolMs)} | ${note(result).replaceAll('|', '/')} |`,
    );
  }
  return lines.join('\n');
}

export function extrasTable(extras: Extras): string {
  const lines = ['| measure | median | note |', '|---|---:|---|'];
  const { critical, validate, rss } = extras;
  if (critical) {
    const via = `${critical.helper ? 'Node service using tierdown/service' : 'bare node:http service (helper not built)'}, ready: http /health`;
    lines.push(`| critical tier, stop → process gone (/proc) | ${ms(critical.medianGoneMs)} ms | ${via}, ${critical.samples.length} runs |`);
    lines.push(`| critical tier, POST → exit (engine report) | ${ms(critical.medianPostToExitMs)} ms | httpShutdown → stopped transitions |`);
  }
  if (rss) {
    const mb = (kb: number | undefined) => (kb === undefined ? '—' : `${(kb / 1024).toFixed(1)} MB`);
    lines.push(`| engine peak RSS (VmHWM) at N=${rss.n} | ${mb(rss.medianKb)} | max ${mb(rss.peakKb)}; API engine in its own process |`);
  }
  if (validate) lines.push(`| \`tierdown validate\` cold start | ${validate.medianMs === undefined ? '—' : `${ms(validate.medianMs)} ms`} | ${validate.skipped ?? `${validate.runsMs.length} runs`} |`);
  return lines.join('\n');
}

function find(results: ScenarioResult[], kind: Kind, n: number, runner: string) {
  return results.find((result) => result.kind === kind && result.n === n && result.runner === runner);
}

/** The targets of issue 6; `met` is undefined when the figure is missing. */
export function targets(results: ScenarioResult[], extras: Extras): Target[] {
  const check = (goal: string, value: number | undefined, format: (value: number) => string, ok: (value: number) => boolean): Target =>
    value === undefined ? { goal, value: 'not measured', met: undefined } : { goal, value: format(value), met: ok(value) };
  const one = find(results, 'cooperative', 1, 'api');
  const many = find(results, 'cooperative', 200, 'api');
  const peer = fastestPeer(results.filter((result) => result.kind === 'cooperative' && result.n === 200));
  const stubborn = find(results, 'stubborn', 200, 'api');
  const speedup = peer?.medianMs !== undefined && many?.medianMs ? peer.medianMs / many.medianMs : undefined;
  return [
    check('1 cooperative, API ≤ 1.5× raw', one?.xRaw, times, (value) => value <= 1.5),
    check('200 cooperative, API ≤ 1.2× raw', many?.xRaw, times, (value) => value <= 1.2),
    check(`200 cooperative, API ≥ 5× faster than the fastest peer${peer ? ` (${peer.label})` : ''}`, speedup, (value) => `${value.toFixed(1)}× faster`, (value) => value >= 5),
    check('200 stubborn (grace 1 s), API ≤ 1.1× raw', stubborn?.xRaw, times, (value) => value <= 1.1),
    check('critical via HTTP ≤ 25 ms end to end', extras.critical?.medianGoneMs, (value) => `${ms(value)} ms`, (value) => value <= 25),
    check('engine RSS at 200 services ≤ 150 MB', extras.rss?.n === 200 ? extras.rss.peakKb : undefined, (value) => `${(value / 1024).toFixed(1)} MB`, (value) => value <= 150 * 1024),
    check('validate cold start ≤ 0.5 s', extras.validate?.medianMs, (value) => `${ms(value)} ms`, (value) => value <= 500),
  ];
}

export function targetLines(list: Target[]): string {
  return list.map((target) => `- [${target.met === undefined ? 'n/a   ' : target.met ? 'met   ' : 'missed'}] ${target.goal}: ${target.value}`).join('\n');
}
