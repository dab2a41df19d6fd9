/**
 * Splits a byte stream into lines without ever holding more than one bounded
 * line: a line longer than `maxLineBytes` is cut there, marked, and the rest of
 * it (up to the next newline) is counted and dropped — a service that writes
 * 600 MB without a newline costs the engine at most `maxLineBytes`.
 * (readline would build the whole line as one string first and die with
 * `RangeError: Invalid string length`.)
 *
 * It is the one line reader for everything tierdown reads line by line from
 * outside (service stdout/stderr, the control socket); log files and other
 * sinks sit behind its `onLine`.
 *
 * Back-pressure: with a `gate` (see output-gate.ts), the source is paused while
 * the gate is blocked and resumed when it clears — a sink that cannot keep up
 * (a full terminal pipe) stops the reading, so the writer blocks on its pipe
 * instead of the engine buffering without limit.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { OutputGate } from './output-gate.js';

/** Default longest line kept whole: 64 KiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export interface LineSplitterOptions {
  maxLineBytes?: number;
  /** Called once per line (without its newline or carriage return). */
  onLine: (line: string, info: { cut: boolean }) => void;
  /** Called once at the end of the stream (after the last, unterminated line). */
  onEnd?: () => void;
}

/** The marker put at the end of a cut line. */
export function cutMarker(maxLineBytes: number): string {
  return ` … [line cut at ${maxLineBytes} bytes]`;
}

/**
 * A push-based splitter: `write(chunk)` per chunk, `end()` at the end. Pure (no
 * stream), so the same logic serves pipes, sockets and tests.
 */
export function createLineSplitter(options: LineSplitterOptions) {
  const max = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  let parts: Buffer[] = [];
  let held = 0;
  // True while inside a line that was already cut: its bytes are dropped until its newline.
  let dropping = false;

  const decode = (buffers: Buffer[]) => {
    const decoder = new StringDecoder('utf8');
    const text = buffers.map((part) => decoder.write(part)).join('') + decoder.end();
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  const emit = (line: string, cut: boolean) => options.onLine(line, { cut });
  const take = (chunk: Buffer) => {
    // Keeps at most `max` bytes of the current line; what is beyond is dropped.
    if (dropping) return;
    const room = max - held;
    if (chunk.length <= room) {
      parts.push(chunk);
      held += chunk.length;
      return;
    }
    parts.push(chunk.subarray(0, room));
    held = max;
    // A cut line is shown at once: the service may never send its newline.
    emit(decode(parts) + cutMarker(max), true);
    parts = [];
    dropping = true;
  };
  const finishLine = () => {
    // A cut line was shown when it was cut; its end only closes it.
    if (dropping) dropping = false;
    else emit(decode(parts), false);
    parts = [];
    held = 0;
  };

  return {
    write(chunk: Buffer): void {
      let start = 0;
      for (let newline = chunk.indexOf(10, start); newline >= 0; newline = chunk.indexOf(10, start)) {
        take(chunk.subarray(start, newline));
        finishLine();
        start = newline + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start));
    },
    end(): void {
      if (held > 0 && !dropping) finishLine();
      dropping = false;
      options.onEnd?.();
    },
  };
}

/** Reads `source` line by line with the limits above, pausing it while `gate` is blocked. */
export function splitLines(source: Readable, options: LineSplitterOptions & { gate?: OutputGate }): void {
  const splitter = createLineSplitter(options);
  const { gate } = options;
  source.on('data', (chunk: Buffer | string) => {
    splitter.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (gate?.blocked() && !source.isPaused()) {
      source.pause();
      gate.whenClear(() => {
        if (!source.destroyed) source.resume();
      });
    }
  });
  source.once('end', () => splitter.end());
  source.on('error', () => undefined);
}
