// The end of a run (its services' cgroups, sockets and pipes) comes after the
// report is handed over: a caller awaiting shutdown() does not wait for it, and
// whenFinished() resolves only once it is done.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cgroupSupport } from '../../src/actors/process/cgroup.js';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { startEngine } from '../helpers/engine-process.js';
import { ownProcesses } from '../helpers/owned.js';
import { TEST_TIMING } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const owned = ownProcesses();
const support = cgroupSupport();
const withCgroups = support.available ? describe : describe.skip;

withCgroups('the end of a run (this host allows cgroups)', () => {
  it('shutdown() hands over the report while the service’s cgroup is still there; whenFinished() resolves once it is removed', async () => {
    const config = resolveConfig(
      // The config's env values are interpolated, not its command: `exec` keeps the ledger's pid the service's.
      { version: 1, services: { solo: { command: ['/bin/sh', '-c', 'echo $$ >> "$FIX_PID_FILE"; exec sleep 600'], env: { FIX_PID_FILE: owned.ledger.pidFile }, tier: 'simple' } } },
      '<test>',
      owned.ledger.dir,
    );
    const stack = createOrchestrator(config, { timing: TEST_TIMING });
    owned.onCleanup(() => stack.force());
    await stack.start();
    await waitUntil(() => owned.ledger.pids().length === 1);
    const [pid] = owned.ledger.pids();
    const own = readFileSync(`/proc/${pid}/cgroup`, 'utf8').match(/^0::(.*)$/m)?.[1];
    if (!support.available || own === undefined) throw new Error(`no cgroup v2 path for pid ${pid}`);
    const dir = path.join(support.mount, own);
    expect(existsSync(dir)).toBe(true);

    const report = await stack.shutdown();
    const thereAtReport = existsSync(dir);
    await stack.whenFinished();

    expect(report.services[0]).toMatchObject({ outcome: 'stopped', verified: true, verification: 'cgroup' });
    expect(thereAtReport).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('an engine that exits as soon as shutdown() resolves (`process.exit`) still removes its run’s cgroups on the way out', async () => {
    const config = { version: 1, services: { solo: { command: ['/bin/sh', '-c', 'echo $$ >> "$FIX_PID_FILE"; exec sleep 600'], env: { FIX_PID_FILE: owned.ledger.pidFile }, tier: 'simple' } } };
    const engine = startEngine(owned.ledger.dir, config, 'stop');
    owned.onCleanup(engine.kill);
    const report = await engine.message<{ outcome: string }>('report');
    expect(report.outcome).toBe('stopped');
    await engine.exited;
    // A run's cgroup is named after its engine's pid (tierdown-<pid>-<random>).
    const left = support.available ? readdirSync(support.base).filter((name) => name.startsWith(`tierdown-${engine.child.pid}-`)) : [];
    expect(left).toEqual([]);
  });
});
