/** The raw baseline as a runner: bench/runners/raw-child.ts in its own Node process. */
import { own } from '../ledger.js';
import { forkChild } from './child.js';
import type { Runner } from './types.js';

export const rawRunner: Runner = {
  key: 'raw',
  label: 'raw baseline',
  peer: false,
  unavailable: async () => undefined,
  start: async (n, kind) => {
    const child = forkChild(new URL('./raw-child.js', import.meta.url));
    try {
      child.send({ type: 'start', n, kind });
      const { pids } = (await child.next('ready', 30_000)) as unknown as { pids: number[] };
      own(...pids);
      return {
        mainPids: pids,
        stop: async () => {
          child.send({ type: 'stop' });
          await child.next('done', 60_000);
          return { doneAt: performance.now(), ok: true };
        },
        close: () => child.close(),
      };
    } catch (error) {
      await child.close();
      throw error;
    }
  },
};
