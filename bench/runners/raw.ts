/** The raw baseline as a runner: bench/runners/raw-child.ts in its own Node process. */
import { stackInChild } from './child.js';
import type { Runner } from './types.js';

export const rawRunner: Runner = {
  key: 'raw',
  label: 'raw baseline',
  peer: false,
  unavailable: async () => undefined,
  // The same start deadline as tierdown's runners: 1000 spawns on a loaded 2-core machine took over 30 s.
  start: (n, kind) =>
    stackInChild(new URL('./raw-child.js', import.meta.url), { type: 'start', n, kind }, 60_000, (child, pids) => ({
      mainPids: pids,
      stop: async () => {
        child.send({ type: 'stop' });
        await child.next('done', 60_000);
        return { doneAt: performance.now(), ok: true };
      },
      close: () => child.close(),
    })),
};
