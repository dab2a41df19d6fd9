/**
 * The control protocol: newline-delimited JSON over the Unix socket.
 * `down` sends one request; `up` answers with the engine's own events (the
 * TierdownEvent objects the views already know), optional status frames for
 * the live view, and closes after the report that ends the request.
 */
import type { Socket } from 'node:net';
import type { ServiceStatus } from '../../engine/status.js';
import type { TierdownEvent } from '../../events.js';
import { splitLines } from '../../text/line-splitter.js';
import { stripControl } from '../../text/sanitize.js';
import { ControlError } from './errors.js';

/**
 * Longest line either side accepts: far above any real message (a report of
 * hundreds of services), far below what would exhaust memory — a peer that
 * sends 700 MB without a newline gets a protocol error, not a crash.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Unread bytes `up` holds for one `down` before it gives up on that reader. */
export const MAX_UNREAD_BYTES = 64 * 1024 * 1024;

/** `down` → `up`: stop these services and their dependents (none: the whole stack). */
export interface ShutdownRequest {
  type: 'shutdown';
  services: string[];
  /** Ask for `status` frames (what each service waits on) while the stop runs. */
  status?: boolean;
  /** This stop's failure policy instead of the run's (`down --on-failure`). */
  onFailure?: 'escalate' | 'rollback';
  /** A forced stop (`down --force`). */
  force?: boolean;
}

/** `up` → `down`: the engine's events, status frames, or why the request was refused. */
export type ControlMessage =
  | TierdownEvent
  | { type: 'status'; services: ServiceStatus[] }
  /** The answer to a `start`: the services it started (none: nothing was missing). */
  | { type: 'started'; services: string[] }
  | { type: 'error'; code: ControlError['code']; message: string };

export function send(socket: Socket, message: ShutdownRequest | StatusRequest | RestartRequest | StartRequest | ControlMessage): void {
  if (socket.destroyed || !socket.writable) return;
  // A reader that stopped reading is cut off rather than buffered for without limit.
  if (socket.writableLength > MAX_UNREAD_BYTES) return void socket.destroy();
  socket.write(`${JSON.stringify(message)}\n`);
}

/** Calls `onMessage` with each JSON line the socket receives. */
export function onLines(socket: Socket, onMessage: (message: unknown) => void, onBadLine: (error: ControlError) => void): void {
  splitLines(socket, {
    maxLineBytes: MAX_MESSAGE_BYTES,
    onLine: (text, { cut }) => {
      if (cut) return onBadLine(new ControlError('TIERDOWN_CONTROL_PROTOCOL', `a line longer than ${MAX_MESSAGE_BYTES} bytes`));
      if (text.trim() === '') return;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return onBadLine(new ControlError('TIERDOWN_CONTROL_PROTOCOL', `not a JSON line: ${stripControl(text.slice(0, 80))}`));
      }
      onMessage(message);
    },
  });
}

/** Checks a request from the socket (it comes from another process: trust nothing). */
export function parseRequest(message: unknown): ShutdownRequest {
  const candidate = message as Partial<ShutdownRequest> | null;
  const valid =
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.type === 'shutdown' &&
    Array.isArray(candidate.services) &&
    candidate.services.every((name) => typeof name === 'string') &&
    (candidate.onFailure === undefined || candidate.onFailure === 'escalate' || candidate.onFailure === 'rollback');
  if (!valid) throw new ControlError('TIERDOWN_CONTROL_PROTOCOL', 'expected {"type":"shutdown","services":[...]}');
  return {
    type: 'shutdown',
    services: candidate.services as string[],
    status: candidate.status === true,
    ...(candidate.onFailure ? { onFailure: candidate.onFailure } : {}),
    ...(candidate.force === true ? { force: true } : {}),
  };
}

/** `ps` → `up`: one status frame, then the channel closes. */
export interface StatusRequest {
  type: 'status';
}

/** `restart` → `up`: stop these services and their dependents tiered, start them again; events and the report come back. */
export interface RestartRequest {
  type: 'restart';
  services: string[];
}

/**
 * `start`, `up [SERVICE...]` on a running stack → `up`: start what is missing of these
 * services and what they depend on (none: of every service); events, then a
 * `started` frame and a status frame come back.
 */
export interface StartRequest {
  type: 'start';
  services: string[];
}
