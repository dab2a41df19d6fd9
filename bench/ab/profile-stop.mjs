// Profile of the API's stop of N cooperative services in one process (bench/README.md,
// "Where each target stands"): a Profiler session around shutdown() only, self time by
// function. usage: npm run build && node bench/ab/profile-stop.mjs [N] [cooperative|stubborn] (writes /tmp/stop-N.cpuprofile)
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { createOrchestrator, resolveConfig } from '../../dist/src/index.js';
import { tierdownConfig } from '../../dist/bench/services.js';
const n = Number(process.argv[2] ?? 1000);
const stack = createOrchestrator(resolveConfig(tierdownConfig(n, process.argv[3] ?? 'cooperative'), '<bench>', '/tmp'));
await stack.start();
await new Promise((r) => setTimeout(r, 4000));
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const t0 = performance.now();
const marks = {};
stack.subscribe((e) => { if (e.type === 'exited' || e.type === 'transition') marks.last = performance.now() - t0; });
const report = await stack.shutdown();
const done = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
writeFileSync(`/tmp/stop-${n}.cpuprofile`, JSON.stringify(profile));
const self = new Map();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const dt = profile.timeDeltas; let total = 0;
profile.samples.forEach((id, i) => { const node = byId.get(id); const key = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber}`; self.set(key, (self.get(key) ?? 0) + dt[i] / 1000); total += dt[i] / 1000; });
console.log(`N=${n} done ${done.toFixed(0)} ms, last transition ${marks.last?.toFixed(0)} ms, outcome ${report.outcome}, sampled ${total.toFixed(0)} ms`);
for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${key}`);
await stack.whenFinished();
process.exit(0);
