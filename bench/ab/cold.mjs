// A/B of every command's cold start (bench/README.md, issue 22): `node -e 0`, the old
// build's bin/tierdown and the new one's, interleaved round by round, each under
// `perf stat -e task-clock` (CPU beside wall: on a loaded machine wall ratios swing).
// usage: OLD=/path/to/old/checkout NEW=/path/to/new/checkout node bench/ab/cold.mjs ROUNDS [ps,down,...]
// (a copy of a build: `cp -a bin dist package.json OLD/ && ln -s $PWD/node_modules OLD/`).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const rounds = +process.argv[2] || 5;
const work = mkdtempSync(join(tmpdir(), 'tierdown-ab-cold-'));
const cfg = join(work, 'cold-start.yaml');
const service = '{ command: [/bin/sh, -c, "trap \\"exit 0\\" TERM; sleep 900 & wait"]';
writeFileSync(cfg, `version: 1\nservices:\n  database: ${service}, tier: simple }\n  backend: ${service}, port: 18001, tier: critical, depends_on: [database], timeouts: { exit: 8s } }\n  worker: ${service}, tier: simple, depends_on: [database] }\n  frontend: ${service}, tier: simple, depends_on: [backend] }\n`);
const all = { validate: ['validate','-c',cfg], config: ['config','-c',cfg], ps: ['ps','-c',cfg], down: ['down','-c',cfg], logs: ['logs','-c',cfg], restart: ['restart','-c',cfg,'backend'], stop: ['stop','-c',cfg,'backend'], exec: ['exec','-c',cfg,'backend','true'] };
const names = (process.argv[3] || Object.keys(all).join(',')).split(',');
const bins = { old: `${process.env.OLD}/bin/tierdown`, new: `${process.env.NEW ?? '.'}/bin/tierdown` };
let seq = 0;
const run = (file, args) => new Promise((res) => { const pf = join(work, `perf.${seq++}`); const t = performance.now(); const c = spawn('perf', ['stat', '-x,', '-e', 'task-clock', '-o', pf, file, ...args], { stdio: ['ignore','pipe','pipe'], env: { ...process.env, NO_COLOR: '1' } }); let out=''; c.stdout.on('data',d=>out+=d); c.stderr.on('data',d=>out+=d); c.on('close', (code) => { const ms = performance.now() - t; const cpu = Number(readFileSync(pf, 'utf8').split('\n').find((l) => l.includes('task-clock')).split(',')[0]); res({ ms, cpu, code, out }); }); });
const med = (a) => { const s=[...a].sort((x,y)=>x-y); const m=s.length>>1; return s.length%2?s[m]:(s[m-1]+s[m])/2; };
const node = [], nodeCpu = []; const r = {}, c = {}; for (const n of names) { r[n] = { old: [], new: [] }; c[n] = { old: [], new: [] }; }
const outs = {};
for (let i = 0; i < rounds; i++) {
  for (const n of names) {
    const order = i % 2 ? ['new','old'] : ['old','new'];
    { const x = await run(process.execPath, ['-e','0']); node.push(x.ms); nodeCpu.push(x.cpu); }
    for (const b of order) { const x = await run(bins[b], all[n]); r[n][b].push(x.ms); c[n][b].push(x.cpu); const key=n+b; if (outs[n]===undefined) outs[n]={}; outs[n][b]=x.code+'|'+x.out; }
  }
}
const load = readFileSync('/proc/loadavg','utf8').trim();
const nm = med(node), nc = med(nodeCpu);
console.log(`rounds ${rounds}, node -e 0 median wall ${nm.toFixed(1)} ms, cpu ${nc.toFixed(1)} ms, load ${load}`);
for (const n of names) { const o=med(r[n].old), w=med(r[n].new); const co=med(c[n].old), cw=med(c[n].new); console.log(`${n.padEnd(9)} wall old ${o.toFixed(1).padStart(6)} (${(o/nm).toFixed(2)}×) new ${w.toFixed(1).padStart(6)} (${(w/nm).toFixed(2)}×) | cpu old ${co.toFixed(1)} (${(co/nc).toFixed(2)}×) new ${cw.toFixed(1)} (${(cw/nc).toFixed(2)}×) | same output: ${outs[n].old===outs[n].new}`); if (outs[n].old!==outs[n].new) console.log('  OLD:', JSON.stringify(outs[n].old).slice(0,300), '\n  NEW:', JSON.stringify(outs[n].new).slice(0,300)); }
rmSync(work, { recursive: true, force: true });
