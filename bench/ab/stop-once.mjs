// The API's stop of N services in one process, for A/B pairs of two builds (bench/README.md): shutdown() → report
// (done), the last transition seen (last), the engine's CPU over the stop, and first/last time of each state entered.
// usage: npm run build && node bench/ab/stop-once.mjs ROOT N [cooperative|stubborn] — ROOT: a checkout with dist/ built;
// alternate two ROOTs, e.g. for i in 1 2 3 4 5; do node bench/ab/stop-once.mjs /tmp/old 200; node bench/ab/stop-once.mjs $PWD 200; done
const [root, nArg, kind = 'cooperative'] = process.argv.slice(2);
const { createOrchestrator, resolveConfig } = await import(`${root}/dist/src/index.js`);
const { tierdownConfig } = await import(`${root}/dist/bench/services.js`);
const n = Number(nArg);
const stack = createOrchestrator(resolveConfig(tierdownConfig(n, kind), '<bench>', '/tmp'));
await stack.start();
await new Promise((r) => setTimeout(r, 1500));
let last = 0;
const t0 = performance.now();
const marks = {}; stack.subscribe((e) => { if (e.type === "transition") { last = performance.now() - t0; marks[e.to] ??= [last, 0]; marks[e.to][1] = last; } if (e.type === "report") marks.report = performance.now() - t0; });
const c0 = process.cpuUsage();
const report = await stack.shutdown();
const done = performance.now() - t0;
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ done: +done.toFixed(1), last: +last.toFixed(1), cpu: +((c.user + c.system) / 1000).toFixed(1), outcome: report.outcome, marks: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => Math.round(x)) : Math.round(v)])) }));
await stack.whenFinished();
process.exit(0);
