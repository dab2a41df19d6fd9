/**
 * `--health [HOST:]PORT`: `GET /healthz` for Kubernetes probes and compose
 * healthchecks — 200 while every service is ready and running, 503 with a JSON
 * body naming who is not (docs/containers.md). It only watches the engine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Orchestrator } from '../engine/orchestrator.js';
import { stackHealth } from './state.js';

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

type Watched = Pick<Orchestrator, 'status' | 'subscribe'>;

export async function serveHealth(stack: Watched, address: { host: string; port: number }): Promise<HealthServer> {
  const ready = new Set<string>();
  const stopping = new Set<string>();
  const unsubscribe = stack.subscribe((event) => {
    if (event.type === 'spawned') ready.delete(event.service);
    else if (event.type === 'ready') ready.add(event.service);
    else if (event.type === 'shutdownStarted') event.services.forEach((name) => stopping.add(name));
    else if (event.type === 'report') stopping.clear();
  });
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://health').pathname;
    if (path !== '/healthz') return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    const { healthy, body } = stackHealth(stack.status(), { ready, stopping });
    response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : `${JSON.stringify(body)}\n`);
  });
  // Probes come and go; a kept-alive probe connection must not hold tierdown open at exit.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}/healthz`,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
