/**
 * Starts test/fixtures/service/helper-service.mjs (a real service using the
 * helper) on 127.0.0.1, and talks HTTP to it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { join, resolve } from 'node:path';
import type { ChildProcesses, OwnedChild } from './children.js';

const fixture = resolve('test/fixtures/service/helper-service.mjs');

export interface HelperService {
  child: OwnedChild;
  port: number;
  /** Lines the fixture's hook wrote, e.g. `hook http 5000`. */
  hookLines(): string[];
}

export interface ServiceSetup {
  moduleUrl: string;
  workDir: string;
  token?: string;
  env?: Record<string, string>;
}

export async function startHelperService(children: ChildProcesses, setup: ServiceSetup): Promise<HelperService> {
  const hookLog = join(setup.workDir, `hooks-${Date.now()}-${Math.random().toString(16).slice(2)}.log`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...setup.env, TIERDOWN_SERVICE_MODULE: setup.moduleUrl, HOOK_LOG: hookLog };
  delete env.TIERDOWN_SHUTDOWN_TOKEN;
  if (setup.token !== undefined) env.TIERDOWN_SHUTDOWN_TOKEN = setup.token;
  const child = children.start(fixture, [], env);
  const line = await child.waitForLine((l) => l.startsWith('{"port"'));
  const { port } = JSON.parse(line) as { port: number };
  return {
    child,
    port,
    hookLines: () => (existsSync(hookLog) ? readFileSync(hookLog, 'utf8').split('\n').filter(Boolean) : []),
  };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  token?: string;
  body?: unknown;
  agent?: Agent;
  timeoutMs?: number;
}

export function send(port: number, options: RequestOptions = {}): Promise<Answer> {
  const { method = 'POST', path = '/shutdown', token, body, agent, timeoutMs = 10_000 } = options;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A shutdown POST body as tierdown sends it. */
export const deadline = (deadlineMs: number): { deadlineMs: number } => ({ deadlineMs });
