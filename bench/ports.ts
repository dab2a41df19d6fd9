/**
 * Ports for the bench's services: from below the ephemeral range (32768,
 * /proc/sys/net/ipv4/ip_local_port_range), checked free by binding. An ephemeral
 * port (`listen(0)`) may be given to an outgoing connection (every HTTP probe makes
 * one) before the service binds it, and the service's start then fails.
 */
import { createServer } from 'node:net';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** N consecutive free ports below the ephemeral range (32768), from a random start. */
export async function freePortBlock(n: number): Promise<number[]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = 21_000 + Math.floor(Math.random() * (31_000 - n - 21_000));
    const ports = Array.from({ length: n }, (_, index) => first + index);
    let free = true;
    for (const port of ports) if (!(free = await bindable(port))) break;
    if (free) return ports;
  }
  throw new Error(`no block of ${n} free ports`);
}
