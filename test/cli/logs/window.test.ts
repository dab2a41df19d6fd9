// logs' --since/--until words and the stored line format, as pure functions
// (the CLI test test/cli/logs.test.ts runs them against a real stack).
import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../../src/cli/args.js';
import { formatLogLine, parseLogLine } from '../../../src/cli/logs/format.js';
import { inWindow, parseLogWindow } from '../../../src/cli/logs/window.js';

const NOW = Date.parse('2026-12-04T19:00:00.000Z');

describe('--since / --until', () => {
  it('reads a duration back from now, or an RFC 3339 time, as UTC instants', () => {
    expect(parseLogWindow({ since: '10m', until: '1.5s' }, NOW)).toEqual({ since: '2026-12-04T18:50:00.000Z', until: '2026-12-04T18:59:58.500Z' });
    expect(parseLogWindow({ since: '2026-12-04T19:30:00+01:00' }, NOW)).toEqual({ since: '2026-12-04T18:30:00.000Z' });
    expect(parseLogWindow({ since: '2026-12-04T18:00:00.25Z' }, NOW)).toEqual({ since: '2026-12-04T18:00:00.250Z' });
    expect(parseLogWindow({ until: '2026-12-04' }, NOW)).toEqual({ until: '2026-12-04T00:00:00.000Z' });
    expect(parseLogWindow({}, NOW)).toEqual({});
  });

  it('refuses anything else, naming the flag and the value', () => {
    for (const [flag, value] of [['since', 'yesterday'], ['until', '10'], ['since', '2026-13-01'], ['until', '2026-12-04T25:00:00Z'], ['since', '1e3m'], ['since', `${'9'.repeat(30)}h`]] as const) {
      expect(() => parseLogWindow({ [flag]: value }, NOW)).toThrow(UsageError);
      expect(() => parseLogWindow({ [flag]: value }, NOW)).toThrow(`--${flag}: expected a duration like "10m" or an RFC 3339 time like "2026-12-04T18:00:00Z", got ${JSON.stringify(value)}`);
    }
  });

  it('keeps lines from since to until, both included, and leaves out lines without a time', () => {
    const window = { since: '2026-12-04T18:00:00.000Z', until: '2026-12-04T18:30:00.000Z' };
    expect(inWindow('2026-12-04T18:00:00.000Z', window)).toBe(true);
    expect(inWindow('2026-12-04T18:30:00.000Z', window)).toBe(true);
    expect(inWindow('2026-12-04T17:59:59.999Z', window)).toBe(false);
    expect(inWindow('2026-12-04T18:30:00.001Z', window)).toBe(false);
    expect(inWindow('', window)).toBe(false);
    expect(inWindow('', { until: window.until })).toBe(false);
    expect(inWindow('', {})).toBe(true);
  });
});

describe('stored lines', () => {
  const at = new Date('2026-12-04T18:00:00.000Z');

  it('round-trip output and tierdown\'s notes, a note always on one line', () => {
    expect(parseLogLine(formatLogLine('stdout', 'hello', at).trimEnd())).toEqual({ at: at.toISOString(), stream: 'stdout', text: 'hello' });
    expect(parseLogLine(formatLogLine('stderr', 'oops', at).trimEnd())).toEqual({ at: at.toISOString(), stream: 'stderr', text: 'oops' });
    expect(formatLogLine('note', 'failed to start:\nno such file', at)).toBe('2026-12-04T18:00:00.000Z note failed to start: no such file\n');
    expect(parseLogLine('2026-12-04T18:00:00.000Z note restart 1 in 1s')).toEqual({ at: at.toISOString(), stream: 'note', text: 'restart 1 in 1s' });
  });

  it('reads the files of older runs (notes as err lines) and lines in another shape', () => {
    expect(parseLogLine('2026-12-04T18:00:00.000Z err [tierdown] restart 1 in 1s')).toEqual({ at: at.toISOString(), stream: 'stderr', text: '[tierdown] restart 1 in 1s' });
    expect(parseLogLine('just text')).toEqual({ at: '', stream: 'stdout', text: 'just text' });
  });

  it('a service printing what looks like a note stays its own output', () => {
    expect(parseLogLine(formatLogLine('stdout', 'note gave up', at).trimEnd()).stream).toBe('stdout');
  });
});
