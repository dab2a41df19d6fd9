// Verification after `stopped` (docs/report.md `verified`) of a service in a cgroup: what is
// left below its own cgroup — its stop command's — counts, and a process killed there gets
// the verification's time to leave. Only cgroups and processes this test made.
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { cgroupMembers, cgroupSupport, killCgroup, releaseRunCgroups, runCgroupDir, serviceCgroup } from '../../src/actors/process/cgroup.js';
import { processSnapshot } from '../../src/actors/process/group.js';
import { MARKER_VARIABLE } from '../../src/actors/process/spawn.js';
import { openCommandCgroup } from '../../src/actors/stop-command-cgroup.js';
import { verifyStopped } from '../../src/actors/verify.js';
import { resolveConfig } from '../../src/config/index.js';
import { spawnInCgroup } from '../helpers/cgroup-process.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();
const support = cgroupSupport();
const service = resolveConfig({ version: 1, services: { svc: { command: ['true'] } } }, '<test>', '/tmp').services[0];
// The run's cgroup is not empty (the command is in it): each service is looked at.
const shared = { snapshot: () => processSnapshot(MARKER_VARIABLE), emptyCgroup: () => undefined };

// A service whose main process has exited, and its stop command still in the cgroup below its own.
async function serviceWithCommandLeft() {
  const runDir = runCgroupDir(`${process.pid}-${randomBytes(4).toString('hex')}`);
  const cgroup = serviceCgroup(runDir, 'svc');
  if (!runDir || !cgroup) throw new Error('cgroups said available, but no service cgroup was made');
  const command = openCommandCgroup(cgroup, 'stop-command');
  owned.onCleanup(() => {
    killCgroup(cgroup.dir);
    // Removed once what was killed has left (retried for a while, src/actors/process/cgroup.ts).
    releaseRunCgroups(runDir);
  });
  const main = await spawnInCgroup(owned, cgroup, `verify-${process.pid}/svc`);
  killCgroup(cgroup.dir);
  await main.mainExited;
  const left = await spawnInCgroup(owned, command, `verify-${process.pid}/svc-command`);
  return { main, command, left };
}

(support.available ? describe : describe.skip)('verifying a service in a cgroup', () => {
  it('names a process left in its stop command cgroup, after waiting the verification time for it', async () => {
    const { main, left } = await serviceWithCommandLeft();
    const verdict = await verifyStopped(service, main, shared, 30);
    expect(verdict.verified).toBe(false);
    expect(verdict.left).toContain(`pid ${left.pid} (sleep) still running`);
  });

  it('waits for a killed process there to leave, then finds nothing left', async () => {
    const { main, command } = await serviceWithCommandLeft();
    setTimeout(() => killCgroup(command.dir), 20);
    expect(await verifyStopped(service, main, shared, 30_000)).toEqual({ verified: true });
    expect(cgroupMembers(command.dir)).toEqual([]);
  });
});
