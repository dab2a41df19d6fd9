/**
 * The first request undici makes in a process pays for its lazy start-up —
 * loading its HTTP/1 client and compiling the llhttp parser (WebAssembly) —
 * about 25–35 ms on a 2-core machine, against ~2 ms for the next one. A
 * critical-tier stop is often that first request, so while services start the
 * engine makes one of its own, to a throwaway server it runs on 127.0.0.1
 * (never to a service).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export async function warmHttpClient(timeoutMs = 2000): Promise<void> {
  const server = createServer((_request, response) => response.writeHead(204).end());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    // The same shape as a shutdown request, so the same code paths are compiled.
    const response = await request(`http://127.0.0.1:${port}/shutdown`, {
      method: 'POST',
      headers: { authorization: 'Bearer warm-up', 'content-type': 'application/json' },
      body: '{"deadlineMs":0}',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs)]),
      reset: true,
    });
    await response.body.text();
  } catch {
    // A failed warm-up only leaves the first stop as slow as it would have been.
  } finally {
    server.close();
  }
}
