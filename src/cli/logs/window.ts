/**
 * `logs --since T` / `--until T` (docs/cli.md#tierdown-logs): T is a duration
 * back from now (`10m`, `1.5h`: the config's duration words) or a time in
 * RFC 3339 (`2026-12-04T18:00:00Z`, `2026-12-04T19:00:00+01:00`; a date alone
 * is its midnight UTC, a time without an offset is local, as compose reads it).
 */
import * as z from 'zod';
import { parseDuration } from '../../config/durations.js';
import { UsageError } from '../args.js';

const RFC3339 = z.union([z.iso.datetime({ offset: true, local: true }), z.iso.date()]);

/** The window of times a line must fall in, as ISO 8601 UTC strings (what the log files store). */
export interface LogWindow {
  since?: string;
  until?: string;
}

function instant(flag: 'since' | 'until', value: string, nowMs: number): string {
  const ago = parseDuration(value);
  const ms = ago !== undefined ? nowMs - ago : RFC3339.safeParse(value).success ? Date.parse(value) : Number.NaN;
  // A duration of a million years back is no time a Date can hold.
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) {
    throw new UsageError(`--${flag}: expected a duration like "10m" or an RFC 3339 time like "2026-12-04T18:00:00Z", got ${JSON.stringify(value)}`);
  }
  return new Date(ms).toISOString();
}

export function parseLogWindow(values: { since?: string; until?: string }, nowMs = Date.now()): LogWindow {
  return {
    ...(values.since !== undefined ? { since: instant('since', values.since, nowMs) } : {}),
    ...(values.until !== undefined ? { until: instant('until', values.until, nowMs) } : {}),
  };
}

/**
 * True when a line written at `at` falls in `window`. Stored times are all
 * `toISOString()`'s fixed shape, so they compare as text; a line without a
 * time (another shape) cannot be placed and is left out of any window.
 */
export function inWindow(at: string, window: LogWindow): boolean {
  if (window.since !== undefined && !(at >= window.since)) return false;
  if (window.until !== undefined && !(at !== '' && at <= window.until)) return false;
  return true;
}
