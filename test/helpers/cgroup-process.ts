/**
 * A process started as the engine starts a service in `cgroup`: it writes its pid to
 * the test's ledger, then runs `script` (by default it only sleeps). Its output pipes
 * are closed when the test ends (tests of cgroup membership, exits, emptiness and removal).
 */
import { tmpdir } from 'node:os';
import type { ServiceCgroup } from '../../src/actors/process/cgroup.js';
import { spawnService, type ServiceProcess } from '../../src/actors/process/spawn.js';
import type { Owned } from './owned.js';

export async function spawnInCgroup(owned: Owned, cgroup: ServiceCgroup, marker: string, script = 'exec sleep 600'): Promise<ServiceProcess> {
  const handle = await spawnService({
    name: 'svc',
    command: ['/bin/sh', '-c', `echo $$ >> "$FIX_PID_FILE"; ${script}`],
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
