// A/B of what `up` does after a Ctrl-C (bench/README.md, round 6): builds alternate, each `up`
// in a cgroup of its own (its CPU from SIGINT to its exit by cpu.stat; the watchdog moved to a
// sibling cgroup), with marks from a preload on one clock with this harness (process.hrtime):
// the report's lines written, process.reallyExit, the exit seen here. Needs cgroup v2 at
// /sys/fs/cgroup/unified (or CGROUP_ROOT) and a config made by bench/services.ts's tierdownConfig.
// usage: OLD=/old/checkout NEW=/new/checkout node bench/ab/cli-end.mjs CONFIG.yaml ROUNDS
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const [config, rounds = '5'] = process.argv.slice(2);
const root = process.env.CGROUP_ROOT ?? '/sys/fs/cgroup/unified';
const work = mkdtempSync(join(tmpdir(), 'tierdown-ab-end-'));
const preload = join(work, 'marks.cjs');
writeFileSync(preload, `if (process.argv.includes('up')) {
  const fs = require('node:fs'); const marks = [];
  const mark = (what) => marks.push(what + ' ' + process.hrtime.bigint());
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => { if (marks.length === 0 && String(chunk).includes('stopped in')) mark('report'); return write(chunk, ...rest); };
  const reallyExit = process.reallyExit;
  process.reallyExit = (code) => { mark('reallyExit'); fs.writeFileSync(process.env.AB_MARKS, marks.join('\\n')); return reallyExit.call(process, code); };
}`);
const builds = { old: process.env.OLD, new: process.env.NEW ?? '.' };
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const usage = (dir) => Number(/usage_usec (\d+)/.exec(readFileSync(`${dir}/cpu.stat`, 'utf8'))[1]) / 1000;
const empty = async (dir) => { for (let i = 0; i < 500 && !/populated 0/.test(readFileSync(`${dir}/cgroup.events`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 10)); };
async function once(key, round) {
  const cg = join(root, `tierdown-ab-end-${process.pid}-${round}-${key}`); const wd = `${cg}-watchdog`;
  mkdirSync(cg); mkdirSync(wd);
  const marksFile = join(work, 'marks');
  try {
    const cli = spawn('/bin/sh', ['-c', `echo $$ > ${cg}/cgroup.procs && exec "$@"`, 'sh', `${builds[key]}/bin/tierdown`, 'up', '-c', config], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1', AB_MARKS: marksFile, NODE_OPTIONS: `--require ${preload}` } });
    let out = ''; let exitAt = 0n;
    const exited = new Promise((resolve) => cli.once('exit', (code) => { exitAt = process.hrtime.bigint(); resolve(code); }));
    await new Promise((resolve) => cli.stdout.on('data', (chunk) => { out += chunk; if (out.includes('services ready')) resolve(); }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const pid of readFileSync(`${cg}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)) {
      let line = ''; try { line = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch {}
      if (line.includes('tierdown-watchdog')) writeFileSync(`${wd}/cgroup.procs`, pid);
    }
    const cpu0 = usage(cg); const t0 = process.hrtime.bigint();
    process.kill(cli.pid, 'SIGINT');
    const code = await exited;
    await empty(cg); await empty(wd);
    const ms = (t) => Number(BigInt(t) - t0) / 1e6;
    const marks = Object.fromEntries(readFileSync(marksFile, 'utf8').split('\n').map((line) => line.split(' ')).map(([what, at]) => [what, ms(at)]));
    return { code, done: ms(exitAt), afterReport: ms(exitAt) - marks.report, reportToExitCall: marks.reallyExit - marks.report, cpu: usage(cg) - cpu0 };
  } finally {
    rmdirSync(cg); rmdirSync(wd);
  }
}
const samples = { old: [], new: [] };
const loads = [readFileSync('/proc/loadavg', 'utf8').split(' ')[0]];
try {
  for (let round = 0; round < Number(rounds); round++) {
    for (const key of round % 2 ? ['new', 'old'] : ['old', 'new']) {
      const sample = await once(key, round);
      if (sample.code !== 0) process.stderr.write(`${key} round ${round + 1}: exit ${sample.code}\n`);
      samples[key].push(sample);
    }
    loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`${config}, ${rounds} rounds, load average ${loads.join(' ')}`);
for (const key of ['old', 'new']) {
  const list = (field) => samples[key].map((s) => s[field]);
  console.log(`${key}: SIGINT → exit seen ${med(list('done')).toFixed(1)} ms | report → exit seen ${med(list('afterReport')).toFixed(1)} (${list('afterReport').map((x) => x.toFixed(0)).join(' ')}) | report → reallyExit ${med(list('reportToExitCall')).toFixed(1)} | up's CPU SIGINT → exit ${med(list('cpu')).toFixed(1)} ms`);
}
