/**
 * Splits a service's output stream into lines (`\n`, with a `\r` before it
 * dropped; a last line without newline is given at the end). A readline
 * interface per stream did the same at several times the cost: with 200
 * services, 400 interfaces to build at start and to close at exit.
 */
import type { Readable } from 'node:stream';

export function onLines(stream: Readable, emit: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  // A pipe that breaks only ends the output; the process watcher reports the exit.
  stream.on('error', () => undefined);
  stream.on('data', (chunk: string) => {
    let text = rest + chunk;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      emit(text.charCodeAt(newline - 1) === 13 ? text.slice(0, newline - 1) : text.slice(0, newline));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    rest = text;
  });
  stream.once('end', () => {
    if (rest) emit(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
    rest = '';
  });
}
