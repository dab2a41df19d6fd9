/**
 * Interpolation of a whole config (docs/config.md#interpolation): every string
 * value, before the schema checks it, so `port: ${API_PORT}` is a number where
 * one goes. Keys are never interpolated (as in compose). A service's `env`
 * values are left to env.ts, which adds that service's `env_file`s to the
 * variables they may use.
 *
 * A variable's value may be a secret (a `.env` holds passwords): a message about
 * an interpolated value shows what was written (`"${DB_URL}"`), never what the
 * variable held.
 */
import type { ConfigProblem } from './errors.js';
import { interpolate, type Lookup } from './interpolate.js';
import { formatPath } from './problems.js';
import { mapLeaves, pathOf, type Place } from './tree.js';

/** A value variables changed: where, as written, and what it became. */
interface Substitution {
  written: string;
  value: string;
}

export interface InterpolatedConfig {
  tree: unknown;
  /** Unset variables and bad `${...}`, each at its value's path. */
  problems: ConfigProblem[];
  /**
   * The other problems, as users may see them: none at a value whose
   * interpolation failed (they would only repeat it), and no variable's value.
   */
  reword(problems: readonly ConfigProblem[]): ConfigProblem[];
}

/**
 * Nothing a config means sits deeper than this many keys (`services.db.stop.command.0`
 * is 5): a value further down is under something the schema refuses anyway, so it is
 * left as written, and a file nested thousands deep costs no long paths.
 */
const MAX_MEANINGFUL_DEPTH = 8;

// services.<name>.env.<KEY>
const isServiceEnvValue = (place: Place) => place.parent?.key === 'env' && place.parent.parent?.parent?.key === 'services' && place.parent.parent.parent.parent === undefined;

/** Shorter than this, a value is no secret (`8080`, `on`) and too common to find in a message reliably. */
const MIN_HIDDEN_LENGTH = 3;

/**
 * `message` with `value` shown as `written`: where it is quoted (`unknown tier
 * "${TIER}"`), else — for a value long enough to be a secret — wherever it is
 * (`no such file: /srv/${NAME}.env`). A quoted value is the one the message is
 * about; the same text elsewhere (`(known: api, db)`) is left alone.
 */
function hideValue(message: string, value: string, written: string): string {
  const quoted = JSON.stringify(value);
  if (message.includes(quoted)) return message.split(quoted).join(JSON.stringify(written));
  return value.length < MIN_HIDDEN_LENGTH ? message : message.split(value).join(written);
}

// `services.api.env_file.0` → `services.api.env_file`, `services.api`, `services` (formatPath's spelling).
function ancestors(path: string): string[] {
  const found: string[] = [];
  for (let rest = path.replace(LAST_KEY, ''); rest !== ''; rest = rest.replace(LAST_KEY, '')) found.push(rest);
  return found;
}
const LAST_KEY = /(\.[^.[]*|\[[^\]]*\])$|^[^.[]*$/;

/** A config a program built, taken as written: only its `env` values are interpolated (env.ts). */
export function asWritten(raw: unknown): InterpolatedConfig {
  return { tree: raw, problems: [], reword: (problems) => [...problems] };
}

/** Interpolates every string value of `raw` (a copy; `raw` is left as it is) with `variables`. */
export function interpolateConfig(raw: unknown, variables: Lookup): InterpolatedConfig {
  const problems: ConfigProblem[] = [];
  const failed = new Set<string>();
  // Every substitution under each path above it, so a problem about `command` finds those of `command.1`;
  // and at its own path, so a problem below it (`env_file.0`, once a string became a list) finds it too.
  const below = new Map<string, Substitution[]>();
  const at = new Map<string, Substitution>();
  const tree = mapLeaves(raw, (value, place) => {
    if (typeof value !== 'string' || !value.includes('$') || place === undefined || place.depth > MAX_MEANINGFUL_DEPTH || isServiceEnvValue(place)) return value;
    const result = interpolate(value, variables);
    const keys = pathOf(place);
    if ('problems' in result) {
      const path = formatPath(keys);
      for (const message of result.problems) problems.push({ path, message });
      failed.add(path);
      return value;
    }
    if (result.value !== value) {
      at.set(formatPath(keys), { written: value, value: result.value });
      for (let length = 1; length <= keys.length; length++) {
        const above = formatPath(keys.slice(0, length));
        const list = below.get(above) ?? [];
        list.push({ written: value, value: result.value });
        below.set(above, list);
      }
    }
    return result.value;
  });
  const hide = (problem: ConfigProblem): ConfigProblem => {
    const above = ancestors(problem.path).flatMap((path) => at.get(path) ?? []);
    let message = problem.message;
    for (const { written, value } of [...(below.get(problem.path) ?? []), ...above]) message = hideValue(message, value, written);
    return { path: problem.path, message };
  };
  const repeats = (problem: ConfigProblem) => failed.has(problem.path) || ancestors(problem.path).some((path) => failed.has(path));
  return { tree, problems, reword: (others) => others.filter((problem) => !repeats(problem)).map(hide) };
}
