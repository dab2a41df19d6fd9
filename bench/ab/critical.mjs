// A/B of the critical tier's HTTP step (bench/README.md, issue 22): per round, the raw HTTP
// floor, then the old build's and the new build's tierdown stop of the same bare node:http
// service (order alternating by round), each timed by that build's own bench harness
// (bench/extras/critical.ts: stop command → process gone by /proc). Each tool sample is
// also divided by the floor sample of its own round, so a load swing hits both sides.
// Beside it, inside each engine (bench/ab/post-timer.mjs, preloaded): the wall and CPU time
// from the `stop` message to the POST's headers written — what the HTTP step itself adds,
// less swayed by the load than stop → gone.
// usage: OLD=/path/to/old/checkout NEW=/path/to/new/checkout node bench/ab/critical.mjs ROUNDS
// (each checkout built: `npm run build`; a copy needs its own dist and a node_modules link).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const rounds = +process.argv[2] || 5;
const work = mkdtempSync(join(tmpdir(), 'tierdown-ab-critical-'));
const builds = { old: process.env.OLD, new: process.env.NEW ?? '.' };
const timerFile = join(work, 'post-timer');
writeFileSync(timerFile, '');
process.env.POST_TIMER_FILE = timerFile;
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${new URL('./post-timer.mjs', import.meta.url).pathname}`;
const lastPost = () => readFileSync(timerFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
const critical = {};
for (const [key, root] of Object.entries(builds)) critical[key] = await import(join(root, 'dist/bench/extras/critical.js'));
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const gone = { raw: [], old: [], new: [] };
const ratio = { old: [], new: [] };
const post = { old: [], new: [] };
const postCpu = { old: [], new: [] };
const loads = [readFileSync('/proc/loadavg', 'utf8').split(' ')[0]];
try {
  for (let i = 0; i < rounds; i++) {
    const raw = await critical.old.measureRawHttp();
    if (!raw.ok) throw new Error(`raw floor failed: ${raw.detail}`);
    gone.raw.push(raw.goneMs);
    const row = [`round ${i + 1}: raw ${raw.goneMs.toFixed(1)}`];
    for (const key of i % 2 ? ['new', 'old'] : ['old', 'new']) {
      const sample = await critical[key].measureCritical(work, false);
      if (!sample.ok || sample.method !== 'http') throw new Error(`${key} failed: ${sample.detail ?? sample.method}`);
      gone[key].push(sample.goneMs);
      ratio[key].push(sample.goneMs / raw.goneMs);
      const [wall, cpu] = lastPost();
      post[key].push(wall);
      postCpu[key].push(cpu);
      row.push(`${key} ${sample.goneMs.toFixed(1)} (${(sample.goneMs / raw.goneMs).toFixed(2)}×; stop → POST ${wall.toFixed(1)} ms, ${cpu.toFixed(1)} ms CPU)`);
    }
    console.log(row.join(', '));
    loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`medians over ${rounds} rounds, ms (stop → gone): raw ${med(gone.raw).toFixed(2)}, old ${med(gone.old).toFixed(2)}, new ${med(gone.new).toFixed(2)}`);
console.log(`× raw: old ${(med(gone.old) / med(gone.raw)).toFixed(2)}× (per round median ${med(ratio.old).toFixed(2)}×), new ${(med(gone.new) / med(gone.raw)).toFixed(2)}× (per round median ${med(ratio.new).toFixed(2)}×)`);
console.log(`engine, stop message → POST headers written, median wall / CPU ms: old ${med(post.old).toFixed(2)} / ${med(postCpu.old).toFixed(2)}, new ${med(post.new).toFixed(2)} / ${med(postCpu.new).toFixed(2)}`);
console.log(`load average (1 min) before and after each round: ${loads.join(' ')}`);
