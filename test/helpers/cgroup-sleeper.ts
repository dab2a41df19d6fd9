/**
 * A process that only sleeps, started as the engine starts a service in `cgroup`, its pid
 * in the test's ledger and its output pipes closed when the test ends (tests of cgroup
 * membership, emptiness and removal).
 */
import { tmpdir } from 'node:os';
import type { ServiceCgroup } from '../../src/actors/process/cgroup.js';
import { spawnService, type ServiceProcess } from '../../src/actors/process/spawn.js';
import type { Owned } from './owned.js';

export async function spawnSleeperIn(owned: Owned, cgroup: ServiceCgroup, marker: string): Promise<ServiceProcess> {
  const handle = await spawnService({
    name: 'svc',
    command: ['/bin/sh', '-c', 'echo $$ >> "$FIX_PID_FILE"; exec sleep 600'],
    cwd: tmpdir(),
    env: { FIX_PID_FILE: owned.ledger.pidFile },
    token: 'test-token',
    marker,
    cgroup,
  });
  owned.onCleanup(() => {
    handle.output.stdout?.destroy();
    handle.output.stderr?.destroy();
  });
  return handle;
}
