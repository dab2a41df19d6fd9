/**
 * Tiers as configurations of the one service statechart (docs/config.md#tiers): the built-in
 * tiers, then the file's `tiers:`, each merged over the defaults.
 *
 * A `tiers:` entry named like a built-in tier overrides it: `critical: { timeouts:
 * { exit: 8s } }` keeps critical's steps and changes its budget. `auto` chooses its
 * own steps at run time, so it accepts only `signal` and `timeouts`.
 */
import { effectiveSteps } from '../../machines/steps.js';
import { TIMEOUT_KEYS, type Timeouts } from '../../machines/timeouts.js';
import type { Step } from '../../machines/types.js';
import { BUILT_IN_TIERS, DEFAULT_SIGNAL, DEFAULT_TIMEOUTS, DEFAULT_USER_TIER_STEPS, type BuiltInTier } from './defaults.js';
import { parseSection, type Problems } from './problems.js';
import { nameProblem } from './names.js';
import { tierSchema, type RawTimeouts } from './schema.js';
import type { ResolvedTier } from './types.js';

/** Every tier by name, in the order users see them; `null` marks a tier the file declares but gets wrong. */
export type TierTable = Map<string, ResolvedTier | null>;

/** Overlays the timeouts that are set (an absent or `undefined` field keeps the base value). */
export function mergeTimeouts(base: Timeouts, overrides: RawTimeouts | undefined): Timeouts {
  const merged = { ...base };
  for (const row of TIMEOUT_KEYS) {
    const value = row.file[0] === 'timeouts' ? overrides?.[row.file[1]] : undefined;
    if (value !== undefined) merged[row.key] = value;
  }
  return merged;
}

// forceKill is always the last resort for a local process, listed or not (machines/steps.ts).
const withForceKill = (steps: readonly Step[]): Step[] => effectiveSteps(steps, true);

function builtInTier(name: string): BuiltInTier | undefined {
  return Object.hasOwn(BUILT_IN_TIERS, name) ? BUILT_IN_TIERS[name as keyof typeof BUILT_IN_TIERS] : undefined;
}

/**
 * Resolves the built-in tiers and the file's `tiers:` over `DEFAULT_TIMEOUTS` and
 * the file's `defaults.timeouts`, adding any problem found.
 */
export function resolveTiers(
  declared: Record<string, unknown> | undefined,
  defaultTimeouts: RawTimeouts | undefined,
  problems: Problems,
): TierTable {
  const baseTimeouts = mergeTimeouts(DEFAULT_TIMEOUTS, defaultTimeouts);
  const tiers: TierTable = new Map();
  for (const name of Object.keys(BUILT_IN_TIERS).sort()) {
    const { auto, steps } = BUILT_IN_TIERS[name as keyof typeof BUILT_IN_TIERS];
    tiers.set(name, { name, auto, steps: withForceKill(steps), signal: DEFAULT_SIGNAL, timeouts: { ...baseTimeouts } });
  }

  for (const [name, value] of Object.entries(declared ?? {})) {
    const path = ['tiers', name];
    const nameIssue = nameProblem(name);
    if (nameIssue) problems.add(path, nameIssue);
    const badName = nameIssue !== undefined;
    const raw = parseSection(tierSchema, value, path, problems);
    const builtIn = builtInTier(name);
    const autoWithSteps = Boolean(builtIn?.auto && raw?.steps);
    if (autoWithSteps) {
      problems.add([...path, 'steps'], 'the auto tier chooses its own steps at run time; set only signal or timeouts');
    }
    if (!raw || badName || autoWithSteps) {
      tiers.set(name, null);
      continue;
    }
    tiers.set(name, {
      name,
      auto: builtIn?.auto ?? false,
      steps: withForceKill(raw.steps ?? builtIn?.steps ?? DEFAULT_USER_TIER_STEPS),
      signal: raw.signal ?? DEFAULT_SIGNAL,
      timeouts: mergeTimeouts(baseTimeouts, raw.timeouts),
    });
  }
  return tiers;
}
