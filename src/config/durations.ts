/**
 * Durations as users write them (docs/config.md#durations): a string with a
 * unit — "500ms", "5s", "1.5s", "2m", "1h". Through the API a number is
 * milliseconds; in a config file a bare number is an error (bare-durations.ts),
 * because `kill: 5` silently meant 5 ms.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)$/i;

/**
 * Longest duration a config may set: far above any sane stop, far below the
 * 2^31-1 ms where Node's timers overflow (a longer one fires at once).
 */
export const MAX_DURATION_MS = 24 * 3_600_000;

/**
 * A duration in ms, checked against {@link MAX_DURATION_MS}: the one rule for
 * every duration, whether it comes from the file, a flag or the environment
 * (docs/security.md#input-bounds).
 *
 * @returns `{ ms }`, or `{ problem }` worded for the user: `expected a duration
 * like "5s"` or `too long: at most "24h" (got "1000h")`.
 */
export function checkDuration(value: unknown, example = '5s'): { ms: number } | { problem: string; tooLong: boolean } {
  const ms = parseDuration(value);
  if (ms === undefined) return { problem: `expected a duration like ${JSON.stringify(example)}`, tooLong: false };
  if (ms > MAX_DURATION_MS) return { problem: `too long: at most "24h" (got ${JSON.stringify(value)})`, tooLong: true };
  return { ms };
}

/**
 * Parses a duration into milliseconds.
 *
 * @returns the duration in ms, or `undefined` when `value` is not a non-negative,
 * finite duration with a unit (the schema turns that into `expected a duration like "5s"`).
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2].toLowerCase() as keyof typeof UNIT_MS;
  // Rounded to the microsecond so "1.1s" is 1100, not 1100.0000000000002.
  const ms = Math.round(Number(match[1]) * UNIT_MS[unit] * 1000) / 1000;
  return Number.isFinite(ms) ? ms : undefined;
}
