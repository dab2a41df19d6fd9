/**
 * `--health [HOST:]PORT`: `GET /healthz` for Kubernetes probes and compose
 * healthchecks — 200 while every required service is up (`ready` or
 * `running`) or left down on purpose (`stopped`), 503 with a JSON body naming
 * who is not and its state (docs/containers.md). An optional service
 * (`required: false`) never fails it, whatever its state. It reads the engine's status rows; it decides nothing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Orchestrator } from '../engine/orchestrator.js';
import { failsHealth, isUp, type ServiceStatus } from '../engine/status.js';

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

type Watched = Pick<Orchestrator, 'status'>;

/** The probe's answer: healthy when every required service is up; each service by its state. */
export function stackHealth(rows: Pick<ServiceStatus, 'name' | 'state' | 'required'>[]) {
  const services = Object.fromEntries(rows.map((row) => [row.name, row.state]));
  const notReady = Object.fromEntries(rows.filter((row) => row.required && failsHealth(row)).map((row) => [row.name, row.state]));
  const healthy = rows.some(isUp) && Object.keys(notReady).length === 0;
  return { healthy, body: { status: healthy ? 'ok' : 'unavailable', ...(healthy ? {} : { notReady }), services } };
}

export async function serveHealth(stack: Watched, address: { host: string; port: number }): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://health').pathname;
    if (path !== '/healthz') return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    const { healthy, body } = stackHealth(stack.status());
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
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
