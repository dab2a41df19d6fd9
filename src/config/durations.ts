/**
 * Durations as users write them: a number is milliseconds, a string is a number
 * with an optional unit ("500ms", "5s", "1.5s", "2m"; bare digits are ms).
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/i;

/**
 * Parses a duration into milliseconds.
 *
 * @returns the duration in ms, or `undefined` when `value` is not a non-negative,
 * finite duration (the schema turns that into `expected a duration like "5s"`).
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2]?.toLowerCase() ?? 'ms') as keyof typeof UNIT_MS;
  // Rounded to the microsecond so "1.1s" is 1100, not 1100.0000000000002.
  const ms = Math.round(Number(match[1]) * UNIT_MS[unit] * 1000) / 1000;
  return Number.isFinite(ms) ? ms : undefined;
}
