// The one line reader: whole lines, CRLF, split UTF-8, and long lines cut at a bound.
import { describe, expect, it } from '@jest/globals';
import { createLineSplitter, cutMarker } from '../../src/text/line-splitter.js';

function split(chunks: (string | Buffer)[], maxLineBytes?: number): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter({ maxLineBytes, onLine: (line) => lines.push(line) });
  for (const chunk of chunks) splitter.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  splitter.end();
  return lines;
}

describe('createLineSplitter', () => {
  it('splits across chunks, drops CR of CRLF, keeps an unterminated last line', () => {
    expect(split(['a\nb', 'c\r\n', '\nlast'])).toEqual(['a', 'bc', '', 'last']);
  });

  it('keeps a character whose UTF-8 bytes arrive in two chunks', () => {
    const bytes = Buffer.from('é\n');
    expect(split([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual(['é']);
  });

  it('cuts a line at the bound, drops its rest, and goes on with the next line', () => {
    expect(split(['abcdefgh', 'ijkl', 'mnop\nnext\n'], 5)).toEqual([`abcde${cutMarker(5)}`, 'next']);
    expect(split(['abcde\n'], 5)).toEqual(['abcde']);
  });

  it('holds at most the bound, however long the line', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter({ maxLineBytes: 1024, onLine: (line) => lines.push(line) });
    const megabyte = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 64; i++) splitter.write(megabyte);
    splitter.write(Buffer.from('\nok\n'));
    expect(lines.map((line) => line.length)).toEqual([1024 + cutMarker(1024).length, 2]);
  });
});
