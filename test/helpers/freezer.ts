/**
 * Makes a real process that SIGKILL cannot end — for a while. The cgroup v1
 * freezer parks a frozen task in the kernel (state D): signals stay pending,
 * SIGKILL included, until it is thawed. That is the honest way to reach
 * `forceKill → failed` with a real process; `thawAll()` lets the pending
 * SIGKILL land, and `remove()` deletes the cgroup once its tasks are gone.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const FREEZER_ROOT = '/sys/fs/cgroup/freezer';

/** Whether this machine lets tests freeze processes (root, cgroup v1 freezer mounted). */
export function freezerAvailable(): boolean {
  try {
    accessSync(FREEZER_ROOT, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export interface Freezer {
  /** False where the v1 freezer is missing or not writable; `failed` paths are then model-only. */
  available: boolean;
  freeze(pid: number): void;
  thawAll(): void;
  remove(): Promise<void>;
}

export function createFreezer(name: string): Freezer {
  const dir = `${FREEZER_ROOT}/tierdown-${name}-${process.pid}`;
  const available = freezerAvailable();
  if (available && !existsSync(dir)) mkdirSync(dir);
  // One child cgroup per frozen process: thawing one never lets another's pending SIGKILL land.
  const frozen = new Set<string>();
  const tasks = (cgroup: string) => (existsSync(cgroup) ? readFileSync(`${cgroup}/cgroup.procs`, 'utf8').split('\n').filter(Boolean) : []);
  return {
    available,
    freeze(pid) {
      const cgroup = `${dir}/${pid}`;
      mkdirSync(cgroup, { recursive: true });
      writeFileSync(`${cgroup}/cgroup.procs`, String(pid));
      writeFileSync(`${cgroup}/freezer.state`, 'FROZEN');
      frozen.add(cgroup);
    },
    thawAll() {
      for (const cgroup of frozen) if (existsSync(cgroup)) writeFileSync(`${cgroup}/freezer.state`, 'THAWED');
    },
    async remove() {
      if (!available) return;
      this.thawAll();
      // A cgroup can be removed once its last task is gone; the thawed ones die of their pending SIGKILL.
      for (const cgroup of [...frozen, dir]) {
        for (let attempt = 0; attempt < 200 && tasks(cgroup).length > 0; attempt++) await sleep(10);
        if (existsSync(cgroup)) rmdirSync(cgroup);
      }
      frozen.clear();
    },
  };
}
