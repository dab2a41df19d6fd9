/**
 * The line format of the run's log files, shared by the writer (`up`) and
 * the reader (`logs`): `<ISO time> <out|err|note> <text>`. The time lets
 * `logs` interleave several services in the order their lines were written,
 * filter them (`--since`, `--until`) and show it (`-t`). `note` marks what
 * tierdown itself said of the service (a restart, giving up, unhealthy): a
 * service cannot write one, whatever it prints. Files of older runs hold
 * `out`/`err` lines only and read the same.
 */

export type LogStream = 'stdout' | 'stderr' | 'note';

export interface LogLine {
  /** When it was written (ISO 8601, UTC); empty for a stored line in another shape. */
  at: string;
  stream: LogStream;
  text: string;
}

const MARK: Record<LogStream, string> = { stdout: 'out', stderr: 'err', note: 'note' };

export function formatLogLine(stream: LogStream, text: string, at = new Date()): string {
  // One stored line per line: a note's own newlines (a start failure's message) would split it.
  const oneLine = stream === 'note' ? text.replace(/[\r\n]+/g, ' ') : text;
  return `${at.toISOString()} ${MARK[stream]} ${oneLine}\n`;
}

/** Parses one stored line; a line in another shape is kept whole as output. */
export function parseLogLine(line: string): LogLine {
  const match = /^(\S+) (out|err|note) (.*)$/s.exec(line);
  if (!match) return { at: '', stream: 'stdout', text: line };
  return { at: match[1], stream: match[2] === 'err' ? 'stderr' : match[2] === 'note' ? 'note' : 'stdout', text: match[3] };
}
