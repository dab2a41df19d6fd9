// The plain view's lines of one turn of the event loop leave in one write, in order
// with whatever else is written to the same stream (src/cli/view/turn-batch.ts).
import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { batchTurns } from '../../../src/cli/view/turn-batch.js';

/** A stream that records each write it is handed (one entry per write or writev). */
function recordingStream(): { stream: Writable; writes: string[][] } {
  const writes: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => String(chunk)));
      callback();
    },
  });
  return { stream, writes };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('a view’s lines, batched by turn', () => {
  it('hands the lines of one turn to the stream as one write, and the next turn’s as another', async () => {
    const { stream, writes } = recordingStream();
    const batch = batchTurns(stream);
    for (const text of ['a\n', 'b\n', 'c\n']) {
      batch.hold();
      stream.write(text);
    }
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([['a\n', 'b\n', 'c\n']]);
    batch.hold();
    stream.write('d\n');
    await nextTurn();
    expect(writes).toEqual([['a\n', 'b\n', 'c\n'], ['d\n']]);
    batch.close();
  });

  it('keeps other writes to the stream in order and lets everything out when the view closes', () => {
    const { stream, writes } = recordingStream();
    const batch = batchTurns(stream);
    batch.hold();
    stream.write('event\n');
    stream.write('summary\n');
    batch.close();
    expect(writes.flat()).toEqual(['event\n', 'summary\n']);
  });
});
