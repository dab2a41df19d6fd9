// `verified: false` always says what is left (docs/report.md): a port another
// process holds after the stop is named, with its holder and its program.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { cgroupMembers, cgroupSupport, cgroupTreeEmpty, killCgroup, removeRunCgroups, runCgroupDir, serviceCgroup } from '../../src/actors/process/cgroup.js';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { spawnInCgroup } from '../helpers/cgroup-process.js';
import { ownProcesses } from '../helpers/owned.js';
import { freePort } from '../helpers/processes.js';
import { FAST, FIXTURE, TEST_TIMING } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const owned = ownProcesses();

describe('verification', () => {
  it('names the port and the process that holds it when the port still answers after the stop', async () => {
    // The service says it uses `port`, but this test holds it: after the stop something still answers there.
    const port = await freePort();
    const holder = createServer().listen(port, '127.0.0.1');
    owned.onCleanup(() => void holder.close());
    await new Promise((resolve) => holder.once('listening', resolve));
    const config = resolveConfig(
      {
        version: 1,
        defaults: { timeouts: FAST },
        services: { svc: { command: [process.execPath, FIXTURE], env: { FIX_PID_FILE: owned.ledger.pidFile }, port, tier: 'simple' } },
      },
      '<test>',
      owned.ledger.dir,
    );
    const stack = createOrchestrator(config, { timing: TEST_TIMING });
    await stack.start();
    const [service] = (await stack.shutdown()).services;
    expect(service).toMatchObject({ outcome: 'stopped', verified: false });
    const program = readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();
    expect(service.detail).toBe(`port ${port} held by pid ${process.pid} (${program})`);
    expect(owned.ledger.survivors()).toEqual([]);
  });

  // A full stop verifies its services in cgroups by one read of the run's cgroup.events (src/engine/provide.ts):
  // sound only if `populated 0` there means nothing runs in any service's cgroup below it.
  (cgroupSupport().available ? it : it.skip)('reads the run cgroup as empty only once nothing runs in any service cgroup below it', async () => {
    const runDir = runCgroupDir(`${process.pid}-verify${Math.random().toString(16).slice(2, 8)}`);
    const cgroup = serviceCgroup(runDir, 'svc');
    if (!runDir || !cgroup) throw new Error('cgroups said available, but no service cgroup was made');
    // On failure: killed here; its emptied cgroups are removed by a later run (runCgroupDir sweeps those of gone engines).
    owned.onCleanup(() => void killCgroup(cgroup.dir));
    const handle = await spawnInCgroup(owned, cgroup, `verify-test-${process.pid}/svc`);
    expect(cgroupMembers(cgroup.dir)).toEqual([handle.pid]);
    expect(cgroupTreeEmpty(runDir)).toBe(false);
    killCgroup(cgroup.dir);
    await waitUntil(() => cgroupTreeEmpty(runDir));
    expect(cgroupMembers(cgroup.dir)).toEqual([]);
    // Unreadable (no such cgroup): not known to be empty, so each service is read on its own.
    expect(cgroupTreeEmpty(path.join(runDir, 'missing'))).toBe(false);
    removeRunCgroups(runDir);
  });
});
