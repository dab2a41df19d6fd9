/**
 * A Node child the harness drives over IPC: the raw baseline and the tierdown
 * API each run in their own process, so the harness's /proc watching never
 * shares an event loop with the thing it times, and the engine's peak RSS is
 * its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { own, onCleanup } from '../ledger.js';
import type { Stack } from './types.js';

export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

export interface ChildLink {
  pid: number;
  send(message: ChildMessage): void;
  /** The next message of this type (or a rejection if the child fails or exits first). */
  next(type: string, timeoutMs: number): Promise<ChildMessage>;
  /** Asks the child to leave, then makes sure it has. */
  close(): Promise<void>;
}

export function forkChild(script: URL, timeoutMs = 10_000): ChildLink {
  // Own group: a Ctrl-C in the terminal reaches the harness, which cleans up, not the child.
  const child: ChildProcess = fork(script, [], { detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pid = child.pid as number;
  own(pid);
  const removeHook = onCleanup(() => void child.kill('SIGKILL'));
  const inbox: ChildMessage[] = [];
  const waiters = new Set<() => void>();
  let ended: string | undefined;
  child.on('message', (message: ChildMessage) => {
    inbox.push(message);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = `child ${pid} exited (${signal ?? `code ${code}`})`;
      for (const wake of waiters) wake();
      resolve();
    }),
  );

  const next = (type: string, waitMs: number) =>
    new Promise<ChildMessage>((resolve, reject) => {
      const check = () => {
        const failure = inbox.findIndex((message) => message.type === 'error');
        if (failure >= 0) return finish(() => reject(new Error(String(inbox[failure].message))));
        const index = inbox.findIndex((message) => message.type === type);
        if (index >= 0) return finish(() => resolve(inbox.splice(index, 1)[0]));
        if (ended) finish(() => reject(new Error(ended)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no "${type}" from child ${pid} in ${waitMs} ms`))), waitMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  return {
    pid,
    send: (message) => {
      if (!ended) child.send(message);
    },
    next,
    close: async () => {
      if (!ended) child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
      removeHook();
    },
  };
}

/**
 * Forks `script`, sends it `start`, and once it answers `ready` with the
 * services' pids, builds the stack from that link; the child is closed if any
 * of it fails.
 */
export async function stackInChild(
  script: URL,
  start: ChildMessage,
  readyTimeoutMs: number,
  build: (child: ChildLink, pids: number[]) => Stack,
): Promise<Stack> {
  const child = forkChild(script);
  try {
    child.send(start);
    const { pids } = (await child.next('ready', readyTimeoutMs)) as unknown as { pids: number[] };
    own(...pids);
    return build(child, pids);
  } catch (error) {
    await child.close();
    throw error;
  }
}
