/**
 * systemd's notification protocol (sd_notify(3)): a datagram of newline-
 * separated `KEY=VALUE` assignments. Only the keys tierdown acts on are read;
 * the rest are ignored, as systemd ignores what it does not know.
 */

/** What one datagram said, in the terms tierdown uses. */
export interface Notification {
  ready: boolean;
  stopping: boolean;
  /** `STATUS=`: what the service is busy with. */
  status?: string;
  /** `EXTEND_TIMEOUT_USEC=`, in ms. */
  extendMs?: number;
}

/** A datagram longer than this is cut: a notification is a few short lines. */
export const MAX_NOTIFICATION_BYTES = 4096;
const MAX_STATUS_CHARS = 200;

/** `sanitize` is applied to a `STATUS=` text first (the engine's redacts the run's tokens from it). */
export function parseNotification(datagram: Buffer, sanitize: (text: string) => string = (text) => text): Notification {
  const text = datagram.subarray(0, MAX_NOTIFICATION_BYTES).toString('utf8');
  const notification: Notification = { ready: false, stopping: false };
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    const value = line.slice(at + 1);
    if (key === 'READY' && value === '1') notification.ready = true;
    else if (key === 'STOPPING' && value === '1') notification.stopping = true;
    // Control characters would let a service rewrite the terminal: keep printable text only.
    else if (key === 'STATUS') notification.status = sanitize(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, MAX_STATUS_CHARS);
    else if (key === 'EXTEND_TIMEOUT_USEC' && /^\d{1,15}$/.test(value)) notification.extendMs = Number(value) / 1000;
  }
  return notification;
}

/** The datagram for `fields`, e.g. `{ READY: '1', STATUS: 'all 3 services ready' }`. */
export function formatNotification(fields: Record<string, string | number>): Buffer {
  return Buffer.from(
    Object.entries(fields)
      .map(([key, value]) => `${key}=${String(value).replace(/\n/g, ' ')}`)
      .join('\n'),
  );
}
