// The kernel's part of a signal fan-out (bench/README.md, "Where each target stands"): N groups of
// `sh` + `sleep`, each in a cgroup made here under CGROUP_ROOT (default /sys/fs/cgroup/unified),
// signalled in one loop as the raw baseline does: how long the loop takes, and until all are gone.
// MODE: term (SIGTERM to each group, cooperative), group (SIGKILL to each group), cgroup (cgroup.kill).
// usage: node bench/ab/kill-floor.mjs N MODE   (root: it makes and removes its own cgroups)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
const [n = 200, mode = 'term'] = [+process.argv[2] || 200, process.argv[3]];
const root = `${process.env.CGROUP_ROOT ?? '/sys/fs/cgroup/unified'}/tierdown-kill-floor-${process.pid}`;
const trap = mode === 'term' ? 'trap "exit 0" TERM' : 'trap "" TERM';
mkdirSync(root);
const services = [];
try {
  for (let i = 0; i < n; i++) {
    const dir = `${root}/s${i}`;
    mkdirSync(dir);
    const child = spawn('/bin/sh', ['-c', `echo $$ > ${dir}/cgroup.procs; exec /bin/sh -c '${trap}; sleep 900 & wait'`], { stdio: 'ignore', detached: true });
    services.push({ child, dir, exited: new Promise((resolve) => child.once('exit', resolve)) });
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const t0 = performance.now();
  for (const { child, dir } of services) {
    if (mode === 'cgroup') writeFileSync(`${dir}/cgroup.kill`, '1');
    else process.kill(-child.pid, mode === 'term' ? 'SIGTERM' : 'SIGKILL');
  }
  const loop = performance.now() - t0;
  await Promise.all(services.map((service) => service.exited));
  for (const { dir } of services) while (readFileSync(`${dir}/cgroup.procs`, 'utf8').trim()) await new Promise((resolve) => setTimeout(resolve, 1));
  console.log(`${mode} × ${n}: loop ${loop.toFixed(1)} ms, all gone ${(performance.now() - t0).toFixed(1)} ms`);
} finally {
  for (const { dir } of services) {
    try {
      writeFileSync(`${dir}/cgroup.kill`, '1');
    } catch {}
  }
  for (const { dir } of services) {
    for (let i = 0; i < 200 && readFileSync(`${dir}/cgroup.procs`, 'utf8').trim(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    rmdirSync(dir);
  }
  rmdirSync(root);
}
