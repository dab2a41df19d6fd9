// A/B of the CLI's stop (bench/README.md, issue 22): `bin/tierdown up` of the old build and
// of the new one, then Ctrl-C, with the raw baseline beside them, timed by the bench's own
// measureStop (gone by /proc, done = the CLI's exit). Rounds interleave raw, old and new,
// the order of old and new alternating. Uses this checkout's compiled bench (npm run build).
// usage: OLD=/old/checkout NEW=/new/checkout node bench/ab/cli-stop.mjs N ROUNDS [cooperative|stubborn]
// (a copy of a build: `cp -a bin dist package.json build OLD/ && ln -s $PWD/node_modules OLD/`).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const dist = new URL('../../dist/bench/', import.meta.url);
const { measureStop } = await import(new URL('measure.js', dist));
const { rawRunner } = await import(new URL('runners/raw.js', dist));
const { cliRunnerOf } = await import(new URL('runners/cli.js', dist));
const { GRACE_MS, servicesSettled } = await import(new URL('services.js', dist));
const { cleanupOnExit } = await import(new URL('ledger.js', dist));
cleanupOnExit();

const n = +process.argv[2] || 1;
const rounds = +process.argv[3] || 5;
const kind = process.argv[4] || 'cooperative';
const runners = { raw: rawRunner, old: cliRunnerOf(`${process.env.OLD}/bin/tierdown`, 'old'), new: cliRunnerOf(`${process.env.NEW ?? '.'}/bin/tierdown`, 'new') };
const samples = { raw: [], old: [], new: [] };
const loads = [readFileSync('/proc/loadavg', 'utf8').split(' ')[0]];
const workDir = mkdtempSync(join(tmpdir(), 'tierdown-ab-cli-'));
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length ? (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) : NaN; };
try {
  for (let round = 0; round < rounds; round++) {
    for (const key of ['raw', ...(round % 2 ? ['new', 'old'] : ['old', 'new'])]) {
      const sample = await measureStop(() => runners[key].start(n, kind, workDir), { settled: (procs, services) => servicesSettled(services, procs), stopTimeoutMs: GRACE_MS * 4 + 60_000 });
      samples[key].push(sample);
      process.stderr.write(`${kind} N=${n} ${key} ${round + 1}/${rounds}: gone ${sample.goneMs?.toFixed(1)} done ${sample.toolMs?.toFixed(1)}${sample.ok ? '' : ` FAILED: ${sample.detail}`}\n`);
    }
    loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
const ok = (key) => samples[key].filter((s) => s.ok);
const rawGone = med(ok('raw').map((s) => s.goneMs));
const rawDone = med(ok('raw').map((s) => s.toolMs));
console.log(`${kind} N=${n}, ${rounds} rounds, load average ${loads.join(' ')}`);
console.log(`raw: gone ${rawGone.toFixed(1)} done ${rawDone.toFixed(1)} ms`);
for (const key of ['old', 'new']) {
  const gone = med(ok(key).map((s) => s.goneMs));
  const done = med(ok(key).map((s) => s.toolMs));
  console.log(`${key}: gone ${gone.toFixed(1)} (${(gone / rawGone).toFixed(2)}× raw) done ${done.toFixed(1)} (${(done / rawDone).toFixed(2)}× raw done, raw + ${(done - rawDone).toFixed(1)} ms); done per round: ${samples[key].map((s) => s.toolMs?.toFixed(0) ?? '—').join(' ')}${ok(key).length < rounds ? `; ${rounds - ok(key).length} failed` : ''}`);
}
