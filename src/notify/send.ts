/**
 * Sends one sd_notify datagram to a `NOTIFY_SOCKET` path: tierdown to systemd,
 * and a service (through `tierdown/service`) to tierdown. Abstract socket names
 * (`@…`) are not supported by `unix-dgram`; filesystem paths are what systemd
 * and tierdown hand out.
 */
import { unixDgram } from './dgram.js';
import { formatNotification } from './protocol.js';
import { TierdownError } from '../errors.js';

export class NotifySocketError extends TierdownError<'TIERDOWN_NOTIFY_SOCKET'> {
  override name = 'NotifySocketError';
  constructor(message?: string) {
    super('TIERDOWN_NOTIFY_SOCKET', message);
  }
}

/** Resolves once the datagram is handed to the kernel; rejects with why it was not. */
export function sendNotification(socketPath: string, fields: Record<string, string | number>): Promise<void> {
  if (socketPath.startsWith('@')) {
    return Promise.reject(new NotifySocketError(`abstract NOTIFY_SOCKET ${socketPath} is not supported; use a socket path`));
  }
  const dgram = unixDgram();
  if ('missing' in dgram) return Promise.reject(new NotifySocketError(`cannot notify ${socketPath}: ${dgram.missing}`));
  const message = formatNotification(fields);
  return new Promise((resolve, reject) => {
    const socket = dgram.module.createSocket('unix_dgram');
    socket.on('error', (error: Error) => {
      socket.close();
      reject(new NotifySocketError(`cannot notify ${socketPath}: ${error.message}`));
    });
    socket.send(message, 0, message.length, socketPath, (error) => {
      socket.close();
      if (error) reject(new NotifySocketError(`cannot notify ${socketPath}: ${error.message}`));
      else resolve();
    });
  });
}
