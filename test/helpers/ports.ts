/**
 * Ports for fixtures that many tests start at once. `freePort()` hands out an
 * ephemeral port, which the kernel may give to an outgoing connection (every
 * HTTP probe makes one) before the fixture binds it; these come from below the
 * ephemeral range, are checked free by binding, and are never handed out twice
 * by one test process.
 */
import { createServer } from 'node:net';

const FIRST = 20_000;
const LAST = 32_000; // The ephemeral range starts at 32768 (/proc/sys/net/ipv4/ip_local_port_range).
const given = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function quietPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST + Math.floor(Math.random() * (LAST - FIRST));
    if (given.has(port)) continue;
    given.add(port);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}
