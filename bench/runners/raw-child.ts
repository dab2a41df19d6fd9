/**
 * The raw baseline, the practical floor: spawn detached, SIGTERM every group,
 * wait for every exit, SIGKILL the groups still there after the grace. No
 * checks, no report — what any supervisor has to do at the least.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { GRACE_MS, serviceArgv, type Kind } from '../services.js';

const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // Already gone.
  }
};

process.on('message', async (message: { type: string; n?: number; kind?: Kind }) => {
  if (message.type === 'exit') process.exit(0);
  if (message.type === 'start') {
    const [file, ...args] = serviceArgv(message.kind as Kind);
    const children = Array.from({ length: message.n as number }, () => spawn(file, args, { detached: true, stdio: 'ignore' }));
    const exits = children.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    process.send?.({ type: 'ready', pids: children.map((child) => child.pid) });
    process.on('message', async (stop: { type: string }) => {
      if (stop.type !== 'stop') return;
      for (const child of children) signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => children.forEach((child) => signalGroup(child, 'SIGKILL')), GRACE_MS);
      await Promise.all(exits);
      clearTimeout(timer);
      process.send?.({ type: 'done' });
    });
  }
});
