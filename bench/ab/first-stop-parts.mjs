// Where the API's first stop of one cooperative service spends its time (bench/README.md, "Where each
// target stands"): harness → engine (IPC), engine → SIGTERM (the statecharts' chain), SIGTERM → gone
// (/proc: absent or Z), all on one clock (performance.timeOrigin + now). A fresh engine per round,
// the stop sent 30 ms after start() resolved. usage: npm run build && node bench/ab/first-stop-parts.mjs [ROUNDS]
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
const abs = () => performance.timeOrigin + performance.now();
if (process.argv[2] === 'child') {
  const { createOrchestrator, resolveConfig } = await import(new URL('../../dist/src/index.js', import.meta.url));
  const stack = createOrchestrator(resolveConfig({ version: 1, defaults: { timeouts: { sigterm: '1000ms', kill: '2s' } }, services: { s000: { command: ['/bin/sh', '-c', 'trap "exit 0" TERM; sleep 900 & wait'], tier: 'simple' } } }, '<bench>', '/tmp'));
  let sigtermAt;
  stack.subscribe((event) => { if (event.type === 'transition' && event.to === 'sigterm') sigtermAt = abs(); });
  await stack.start();
  process.send({ type: 'ready', pids: stack.status().map((row) => row.pid) });
  process.on('message', async (message) => {
    if (message.type === 'stop') { const got = abs(); await stack.shutdown(); process.send({ type: 'done', got, sigtermAt, doneAt: abs() }); }
    if (message.type === 'exit') process.exit(0);
  });
} else {
  const rows = [];
  const gone = (pid) => { try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] === 'Z'; } catch { return true; } };
  for (let round = 0; round < (+process.argv[2] || 9); round++) {
    const child = fork(new URL(import.meta.url).pathname, ['child']);
    const next = (type) => new Promise((resolve) => child.on('message', (m) => m.type === type && resolve(m)));
    const ready = await next('ready');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const main = ready.pids[0];
    const procs = [main, ...readFileSync(`/proc/${main}/task/${main}/children`, 'utf8').trim().split(/\s+/).map(Number)];
    const sentAt = abs();
    child.send({ type: 'stop' });
    while (!procs.every(gone)) await new Promise((resolve) => setTimeout(resolve, 1));
    const goneAt = abs();
    const done = await next('done');
    rows.push([done.got - sentAt, done.sigtermAt - done.got, goneAt - done.sigtermAt, goneAt - sentAt, done.doneAt - sentAt]);
    child.send({ type: 'exit' });
    await new Promise((resolve) => child.once('exit', resolve));
  }
  console.log('   ipc  →sigterm  →gone   gone   done (ms)');
  for (const row of rows) console.log(row.map((ms) => ms.toFixed(2).padStart(6)).join(' '));
}
