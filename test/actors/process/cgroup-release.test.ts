// A run leaves no cgroup behind (docs/process-tracking.md): one still populated when the
// run ends is removed once it empties, and a later run of the same engine sweeps what an
// ended run left. Only cgroups this test made, under the engine's own parent.
import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { cgroupSupport, killCgroup, releaseRunCgroups, removeRunCgroups, runCgroupDir, serviceCgroup } from '../../../src/actors/process/cgroup.js';
import { spawnInCgroup } from '../../helpers/cgroup-process.js';
import { ownProcesses } from '../../helpers/owned.js';
import { waitUntil } from '../../helpers/wait.js';

const owned = ownProcesses();
const support = cgroupSupport();
// A run id as the engine makes them: the engine's pid, then hex.
const runId = () => `${process.pid}-${randomBytes(4).toString('hex')}`;

(support.available ? describe : describe.skip)('the cgroups of an ended run', () => {
  it('are removed once what was still in them at the end has gone', async () => {
    const runDir = runCgroupDir(runId());
    const cgroup = serviceCgroup(runDir, 'svc');
    if (!runDir || !cgroup) throw new Error('cgroups said available, but no service cgroup was made');
    owned.onCleanup(() => {
      killCgroup(cgroup.dir);
      removeRunCgroups(runDir);
    });
    await spawnInCgroup(owned, cgroup, `cgroup-release-${process.pid}/svc`);
    releaseRunCgroups(runDir);
    // Still populated: nothing can be removed yet.
    expect(existsSync(cgroup.dir)).toBe(true);
    killCgroup(cgroup.dir);
    await waitUntil(() => !existsSync(runDir));
  });

  it('left behind are swept by the next run of the same engine, the runs in use are not', () => {
    if (!support.available) return;
    const inUse = runCgroupDir(runId());
    if (!inUse || !serviceCgroup(inUse, 'svc')) throw new Error('cgroups said available, but no service cgroup was made');
    // As an ended run leaves them when something of it outlived the end and the retries,
    // a stop command's cgroup inside its service's among them.
    const left = path.join(support.base, `tierdown-${runId()}`);
    mkdirSync(path.join(left, 'svc', 'stop-command'), { recursive: true });
    owned.onCleanup(() => removeRunCgroups(left));
    const next = runCgroupDir(runId());
    owned.onCleanup(() => {
      releaseRunCgroups(inUse);
      releaseRunCgroups(next);
    });
    expect(existsSync(left)).toBe(false);
    expect(existsSync(path.join(inUse, 'svc'))).toBe(true);
  });
});
