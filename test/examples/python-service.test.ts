// MediVote's network_coordinator is Python (standard library only): it speaks the
// shutdown protocol by itself — 405 to other methods, 401 without the run's
// token, 202 then an atomic save and exit 0 with it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietPort } from '../helpers/ports.js';
import { waitUntil } from '../helpers/wait.js';

const SERVICE = fileURLToPath(new URL('../../examples/medivote/network_coordinator.py', import.meta.url));
const TOKEN = 'test-token-0123456789';
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('network_coordinator.py', () => {
  it('answers 405, 401, then 202 with the token, saves its registry atomically and exits 0', async () => {
    // incentive_system stand-in: the nodes to enrol.
    const incentives = http.createServer((_, res) => res.end(JSON.stringify({ nodes: [{ id: 'node-1', fingerprint: 'ab:cd' }] })));
    incentives.listen(0, '127.0.0.1');
    await once(incentives, 'listening');
    cleanups.push(() => incentives.close());
    const stateDir = mkdtempSync(path.join(tmpdir(), 'tierdown-py-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const port = await quietPort();
    const child: ChildProcess = spawn('python3', [SERVICE], {
      env: {
        ...process.env,
        PORT: String(port),
        STATE_DIR: stateDir,
        TIERDOWN_SHUTDOWN_TOKEN: TOKEN,
        INCENTIVE_URL: `http://127.0.0.1:${(incentives.address() as { port: number }).port}`,
      },
      stdio: 'ignore',
    });
    const exited = once(child, 'exit');
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok === true, 15_000, 50);

    expect((await fetch(`${url}/shutdown`)).status).toBe(405);
    expect((await fetch(`${url}/shutdown`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${url}/shutdown`, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const accepted = await fetch(`${url}/shutdown`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"deadlineMs":5000}' });
    expect(accepted.status).toBe(202);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(stateDir, 'network_coordinator.json'), 'utf8')) as { nodes: Record<string, { fingerprint: string }> };
    expect(saved.nodes['node-1'].fingerprint).toBe('ab:cd');
  }, 30_000);
});
