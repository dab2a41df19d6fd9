/**
 * The first request undici makes in a process pays for its lazy start-up —
 * loading its HTTP/1 client and compiling the llhttp parser (WebAssembly) —
 * about 25–35 ms on a 2-core machine, against ~2 ms for the next one. A
 * critical-tier stop is often that first request, so while services start the
 * engine sends one shutdown request of its own, through the same function a
 * stop uses (its abort signals, classification and body handling compiled too),
 * to a throwaway server it runs on 127.0.0.1 (never to a service).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postShutdown } from '../actors/http-shutdown.js';

export async function warmHttpClient(timeoutMs = 2000): Promise<void> {
  const server = createServer((_request, response) => response.writeHead(202).end());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    // Never throws: a failed warm-up only leaves the first stop as slow as it would have been.
    await postShutdown({ url: `http://127.0.0.1:${port}/shutdown`, token: 'warm-up', deadlineMs: 0, timeoutMs });
  } catch {
    // The throwaway server could not listen: nothing warmed, nothing broken.
  } finally {
    server.close();
  }
}
