// A/B of the API's first stop in a fresh engine (bench/README.md, issue 22): the stop is
// sent as soon as start() resolved, as bench/runners/api-child.ts does; builds A and B
// alternate. usage: A=/old/checkout B=/new/checkout node bench/ab/first-stop.mjs parent PAIRS*2 [DELAY_MS]
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
const child = process.argv[2] === 'child';
if (child) {
  const { createOrchestrator, resolveConfig } = await import(process.env.DIST);
  const t0 = performance.now();
  const stack = createOrchestrator(resolveConfig({ version: 1, defaults: { timeouts: { sigterm: '1000ms', kill: '2s' } }, services: { s000: { command: ['/bin/sh', '-c', 'trap "exit 0" TERM; sleep 900 & wait'], tier: 'simple' } } }, '<bench>', '/tmp'));
  await stack.start();
  const tStarted = performance.now();
  process.send({ type: 'ready', startMs: tStarted - t0 });
  process.on('message', async (m) => {
    if (m.type === 'stop') { const t = performance.now(); const r = await stack.shutdown(); const sig = r.services[0].transitions.find((x) => x.to === 'sigterm'); process.send({ type: 'done', sinceReady: t - tStarted, handleToDone: performance.now() - t, sigtermAt: sig?.atMs }); }
    if (m.type === 'exit') process.exit(0);
  });
} else {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const rows = [];
  for (let i = 0; i < +process.argv[3]; i++) {
    const variant = i % 2 ? 'B' : 'A'; const c = fork(new URL(import.meta.url).pathname, ['child'], { stdio: ['inherit', 'inherit', 'ignore', 'ipc'], env: { ...process.env, DIST: variant === 'A' ? `${process.env.A}/dist/src/index.js` : `${process.env.B}/dist/src/index.js` } });
    const next = (type) => new Promise((r) => c.on('message', (m) => m.type === type && r(m)));
    const ready = await next('ready');
    await sleep(+process.argv[4] || 0);
    const t = performance.now(); c.send({ type: 'stop' }); const d = await next('done'); const ms = performance.now() - t;
    rows.push(`${variant} start ${ready.startMs.toFixed(0)} | stop→done seen ${ms.toFixed(1)} | stop handled ${d.sinceReady.toFixed(1)} after ready, sigterm at +${d.sigtermAt?.toFixed(1)}, done in ${d.handleToDone.toFixed(1)}`);
    c.send({ type: 'exit' }); await new Promise((r) => c.once('exit', r));
  }
  console.log(rows.sort().join('\n')); const med=(a)=>{const x=[...a].sort((p,q)=>p-q);return x.length%2?x[x.length>>1]:(x[x.length/2-1]+x[x.length/2])/2}; for (const v of ['A','B']) { const r=rows.filter(x=>x.startsWith(v)); const d=r.map(x=>+/stop→done seen ([\d.]+)/.exec(x)[1]); const g=r.map(x=>+/sigterm at \+([\d.]+)/.exec(x)[1]); console.log(v, 'stop→report seen median', med(d).toFixed(1), 'min', Math.min(...d).toFixed(1), 'max', Math.max(...d).toFixed(1), '| sigterm median', med(g).toFixed(1), 'max', Math.max(...g).toFixed(1)); } console.log(readFileSync('/proc/loadavg', 'utf8'));
}
