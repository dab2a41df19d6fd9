/**
 * One request to a running `up` from `ps`, `restart` or `start`: connect, send, replay
 * what comes back (events to subscribers, the latest status frame) and settle
 * when `up` closes the channel. A sibling of client.ts's `down` request.
 */
import type { ShutdownReport } from '../../../machines/types.js';
import type { ServiceStatus } from '../../engine/status.js';
import type { TierdownEvent, TierdownListener } from '../../events.js';
import { openControlSocket } from './client.js';
import { ControlError } from './errors.js';
import { onLines, send, type ControlMessage, type RestartRequest, type StartRequest, type StatusRequest } from './protocol.js';

export interface RequestResult {
  report?: ShutdownReport;
  /** A start's answer: what it started. */
  started?: string[];
  status?: ServiceStatus[];
}

export interface Conversation {
  subscribe(listener: TierdownListener): () => void;
  status(): ServiceStatus[];
  /** Sends `message`; resolves when `up` closes the channel, rejects with its refusal. */
  ask(message: StatusRequest | RestartRequest | StartRequest): Promise<RequestResult>;
}

/** @throws {ControlError} as client.ts's openControlSocket: the same trust check as `down`. */
export async function openConversation(file: string, configSource: string): Promise<Conversation> {
  const socket = await openControlSocket(file, configSource);
  const listeners = new Set<TierdownListener>();
  let latest: ServiceStatus[] = [];
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => latest,
    ask: (message) =>
      new Promise<RequestResult>((resolve, reject) => {
        const result: RequestResult = {};
        let refused: ControlError | undefined;
        onLines(
          socket,
          (received) => {
            const frame = received as ControlMessage;
            if (frame.type === 'status') result.status = latest = frame.services;
            else if (frame.type === 'error') refused = new ControlError(frame.code, frame.message);
            else if (frame.type === 'started') result.started = frame.services;
            else {
              if (frame.type === 'report') result.report = frame.report;
              for (const listener of listeners) listener(frame as TierdownEvent);
            }
          },
          (error) => (refused ??= error),
        );
        socket.on('error', () => undefined);
        socket.once('close', () => (refused ? reject(refused) : resolve(result)));
        send(socket, message);
      }),
  };
}
