import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { onLines } from '../../../src/actors/process/lines.js';

function linesOf(chunks: string[]): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  onLines(stream, (line) => lines.push(line));
  return new Promise((resolve) => {
    stream.once('end', () => setImmediate(() => resolve(lines)));
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
}

describe('onLines', () => {
  it('splits on newlines across chunks and drops a \\r before them', async () => {
    expect(await linesOf(['a\nb', 'c\r\n', '\nd'])).toEqual(['a', 'bc', '', 'd']);
  });

  it('gives a last line without newline at the end, and nothing for an empty stream', async () => {
    expect(await linesOf(['tail'])).toEqual(['tail']);
    expect(await linesOf([])).toEqual([]);
  });

  it('keeps a multi-byte character split between chunks whole', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    onLines(stream, (line) => lines.push(line));
    const bytes = Buffer.from('é\n');
    stream.write(bytes.subarray(0, 1));
    stream.end(bytes.subarray(1));
    await new Promise((resolve) => stream.once('end', () => setImmediate(resolve)));
    expect(lines).toEqual(['é']);
  });
});
