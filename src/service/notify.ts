/**
 * sd_notify for a Node service under tierdown (or systemd): say you are ready,
 * what you are busy with, and ask for more time during a long save
 * (docs/containers.md). Without a `NOTIFY_SOCKET` every call does nothing, so
 * the same service runs anywhere.
 */
import { sendNotification } from '../notify/send.js';

const socketOf = (env: NodeJS.ProcessEnv) => env.NOTIFY_SOCKET;

async function send(fields: Record<string, string | number>, env: NodeJS.ProcessEnv): Promise<boolean> {
  const socket = socketOf(env);
  if (!socket) return false;
  await sendNotification(socket, fields);
  return true;
}

/** `READY=1` (for `ready: { notify: true }`), with an optional `STATUS=`. Resolves false without a NOTIFY_SOCKET. */
export function notifyReady(status?: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return send(status === undefined ? { READY: 1 } : { READY: 1, STATUS: status }, env);
}

/** `STATUS=…`: what the service is busy with, shown in tierdown's status rows. */
export function notifyStatus(status: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return send({ STATUS: status }, env);
}

/** `STOPPING=1`: the service has begun to stop. */
export function notifyStopping(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return send({ STOPPING: 1 }, env);
}

/**
 * Asks for `ms` more from now for the current stop step (`EXTEND_TIMEOUT_USEC`),
 * up to the service's `timeouts.max_extend`. Call it again before the time runs out.
 */
export function extendTimeout(ms: number, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return send({ EXTEND_TIMEOUT_USEC: Math.max(0, Math.round(ms * 1000)) }, env);
}
