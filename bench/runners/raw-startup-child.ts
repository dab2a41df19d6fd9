/**
 * The raw start-up floor: spawn every service detached with its output piped
 * (as tierdown does, to stream its logs), then poll each port with a TCP
 * connect every 25 ms (tierdown's readiness interval) until all accept. No
 * config, no statecharts — what any supervisor has to do at the least.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 25;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function ready(port: number): Promise<void> {
  while (!(await portOpen(port))) await sleep(POLL_MS);
}

let children: ChildProcess[] = [];

process.on('message', async (message: { type: string; argv?: string[]; ports?: number[] }) => {
  if (message.type === 'exit') process.exit(0);
  if (message.type === 'start') {
    const [file, ...args] = message.argv as string[];
    children = (message.ports as number[]).map((port) => {
      const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: String(port) } });
      child.stdout?.resume();
      child.stderr?.resume();
      return child;
    });
    await Promise.all((message.ports as number[]).map(ready));
    process.send?.({ type: 'ready', pids: children.map((child) => child.pid) });
  }
  if (message.type === 'stop') {
    const exits = children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined));
    for (const child of children) {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await Promise.all(exits);
    process.send?.({ type: 'done' });
  }
});
