/**
 * The raw HTTP floor of the critical tier: spawn the bare node:http service,
 * wait for GET /health, and on `stop` POST /shutdown with node:http and wait
 * for the exit. No statechart, no token file, no verification.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

function call(port: number, method: string, path: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? null));
    });
    req.once('error', () => resolve(null));
    req.end(method === 'POST' ? '{"deadlineMs":8000}' : undefined);
  });
}

let child: ChildProcess | undefined;
let port = 0;

process.on('message', async (message: { type: string; argv?: string[]; port?: number }) => {
  if (message.type === 'exit') process.exit(0);
  if (message.type === 'start') {
    port = message.port as number;
    const [file, ...args] = message.argv as string[];
    child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: String(port), BENCH_HELPER: '0' } });
    child.stdout?.resume();
    child.stderr?.resume();
    while ((await call(port, 'GET', '/health')) !== 200) await sleep(25);
    process.send?.({ type: 'ready', pids: [child.pid] });
  }
  if (message.type === 'stop' && child) {
    const exited = child.exitCode === null ? new Promise((resolve) => child?.once('exit', resolve)) : undefined;
    const status = await call(port, 'POST', '/shutdown');
    await exited;
    process.send?.({ type: 'done', status });
  }
});
