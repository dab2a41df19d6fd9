/**
 * Reads a report file for `tierdown view`: SPEC's fields checked with zod (so a
 * wrong or hostile file gets a message naming the field, never a stack), plus the
 * `plan` tierdown adds for replays. A report without a plan (written by hand, or
 * by an older tierdown) still replays: each service's steps are guessed from its
 * tier and the states it went through, with the default timeouts.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import type { PlannedService } from '../../machines/orchestrator.js';
import { effectiveSteps } from '../../machines/steps.js';
import { TIMEOUT_KEYS } from '../../machines/timeouts.js';
import { STEP_NAMES, type Step } from '../../machines/types.js';
import { DEFAULT_TIMEOUTS } from '../config/defaults.js';
import type { ReportWithPlan, RunPlan } from '../engine/report-plan.js';
import { TierdownError } from '../errors.js';

/** Thrown when the file is missing, too big, not JSON, or not a report. */
export class ReportFileError extends TierdownError<'TIERDOWN_REPORT_INVALID'> {
  override name = 'ReportFileError';
  constructor(message?: string) {
    super('TIERDOWN_REPORT_INVALID', message);
  }
}

// A report of thousands of services is a few MB; anything far bigger is not one.
const MAX_BYTES = 64 * 1024 * 1024;

const name = z.string().min(1).max(1000);
const timeouts = z.object(Object.fromEntries(TIMEOUT_KEYS.map((row) => [row.key, row.always ? z.number() : z.number().optional()]))).passthrough();
const service = z
  .object({
    name,
    tier: z.string(),
    wave: z.number().int().min(0),
    outcome: z.string(),
    method: z.string(),
    path: z.array(z.string()),
    transitions: z.array(z.object({ to: z.string(), atMs: z.number(), reason: z.string() }).passthrough()),
    durationMs: z.number(),
    verified: z.boolean(),
    restarts: z.array(z.object({}).passthrough()).optional(),
  })
  .passthrough();
const plan = z.object({
  source: z.string(),
  onFailure: z.enum(['escalate', 'rollback']),
  services: z.array(
    z.object({ name, tier: z.string(), steps: z.array(z.string()), signal: z.string(), timeouts, local: z.boolean(), dependsOn: z.array(z.string()) }).passthrough(),
  ),
});
const report = z
  .object({
    outcome: z.string(),
    startedAt: z.string(),
    durationMs: z.number(),
    waves: z.array(z.array(name)),
    services: z.array(service),
    plan: plan.optional(),
  })
  .passthrough();

// A report nests about 6 levels; far deeper is hostile, and would overflow the call stack of
// whatever walks it recursively later (the checks, JSON.stringify for the page).
const MAX_DEPTH = 64;

// Walked with its own stack: the check must not recurse on the depth it bounds.
function deeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

// The step each waiting state belongs to (machines/steps.ts orders and completes them).
const STEP_OF_STATE: Readonly<Record<string, Step>> = { httpShutdown: 'http', stopCommand: 'command', sigterm: 'sigterm', forceKill: 'forceKill' };

// Without a plan: the steps a service's tier and path show, by the one tier rule (a local process always ends with forceKill).
function guessedPlan(file: string, parsed: ReportWithPlan): RunPlan {
  const services: PlannedService[] = parsed.services.map((entry) => {
    const went = entry.path.flatMap((state) => STEP_OF_STATE[state] ?? []);
    const steps = effectiveSteps(entry.tier === 'critical' ? ['http', 'sigterm'] : [...went, 'sigterm'], true);
    return { name: entry.name, tier: entry.tier, steps, signal: 'SIGTERM', timeouts: DEFAULT_TIMEOUTS, local: true, dependsOn: [] };
  });
  return { source: file, onFailure: 'escalate', services };
}

// A plan's steps as written, held to the same rule: known steps only, in order, forceKill for a local process.
function withEffectiveSteps(plan: RunPlan): RunPlan {
  const known = (step: string): step is Step => STEP_NAMES.some((name) => name === step);
  return { ...plan, services: plan.services.map((entry) => ({ ...entry, steps: effectiveSteps(entry.steps.filter(known), entry.local) })) };
}

export async function readReportFile(file: string): Promise<{ report: ReportWithPlan; plan: RunPlan; guessed: boolean }> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ReportFileError(`${file}: not a file`);
    if (info.size > MAX_BYTES) throw new ReportFileError(`${file}: ${info.size} bytes is too big for a report (at most ${MAX_BYTES})`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ReportFileError) throw error;
    throw new ReportFileError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ReportFileError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (deeperThan(json, MAX_DEPTH)) throw new ReportFileError(`${file}: nested more than ${MAX_DEPTH} levels deep; not a tierdown report`);
  const checked = report.safeParse(json);
  if (!checked.success) {
    const first = checked.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new ReportFileError(`${file}: not a tierdown report — ${first.join('; ')}`);
  }
  const parsed = checked.data as unknown as ReportWithPlan;
  const guessed = parsed.plan === undefined;
  const runPlan = parsed.plan ? withEffectiveSteps(parsed.plan) : guessedPlan(path.basename(file), parsed);
  // Only services the plan knows get a chart; the report may name no others.
  const known = new Set(runPlan.services.map((entry) => entry.name));
  const unknown = parsed.services.filter((entry) => !known.has(entry.name)).map((entry) => entry.name);
  if (unknown.length) throw new ReportFileError(`${file}: plan.services lacks ${unknown.join(', ')}`);
  return { report: parsed, plan: runPlan, guessed };
}
