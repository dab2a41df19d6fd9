/**
 * The line format of the run's log files, shared by the writer (`up`) and
 * the reader (`logs`): `<ISO time> <out|err> <text>`. The timestamp lets
 * `logs` interleave several services in the order their lines were written.
 */

export interface LogLine {
  at: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export function formatLogLine(stream: 'stdout' | 'stderr', text: string, at = new Date()): string {
  return `${at.toISOString()} ${stream === 'stderr' ? 'err' : 'out'} ${text}\n`;
}

/** Parses one stored line; a line in another shape is kept whole as output. */
export function parseLogLine(line: string): LogLine {
  const match = /^(\S+) (out|err) (.*)$/s.exec(line);
  if (!match) return { at: '', stream: 'stdout', text: line };
  return { at: match[1], stream: match[2] === 'err' ? 'stderr' : 'stdout', text: match[3] };
}
