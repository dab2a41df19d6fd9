/**
 * Bounds one line of service output before it is stored: a service that
 * prints a megabyte without a newline must not make one log line (or the
 * memory holding it) unbounded. Kept tiny so it can fold into the shared
 * line splitter of service output.
 */

/** Longest line written to a log file, in UTF-16 code units; the rest is cut. */
export const MAX_LOG_LINE = 16 * 1024;

/** `line`, cut at `max` with a note of how much was dropped. */
export function capLine(line: string, max = MAX_LOG_LINE): string {
  if (line.length <= max) return line;
  return `${line.slice(0, max)} …[${line.length - max} more characters cut]`;
}
