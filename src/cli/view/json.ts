/**
 * `--json`: one event per line (NDJSON), each with the wall-clock time, for
 * machines to read. Logs are events too; the token never appears in any.
 */
import type { Writable } from 'node:stream';
import type { TierdownEvent } from '../../events.js';

export function jsonLine(event: TierdownEvent): string {
  return JSON.stringify({ time: new Date().toISOString(), ...event });
}

export function writeJsonEvent(stream: Writable, event: TierdownEvent): void {
  stream.write(`${jsonLine(event)}\n`);
}
