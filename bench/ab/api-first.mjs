// The first stop through the API beside the raw baseline, as the bench times it (measureStop: gone by
// /proc, done = the report back in the harness), rounds interleaved. usage: npm run build &&
// node bench/ab/api-first.mjs [ROUNDS] [N] — ROOT env: another checkout's build for the tierdown side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const dist = new URL('../../dist/bench/', import.meta.url);
const { measureStop } = await import(new URL('measure.js', dist));
const { rawRunner } = await import(new URL('runners/raw.js', dist));
const { apiRunner } = await import(new URL(process.env.ROOT ? `file://${process.env.ROOT}/dist/bench/runners/api.js` : 'runners/api.js', dist));
const { GRACE_MS, servicesSettled } = await import(new URL('services.js', dist));
const rounds = +process.argv[2] || 7;
const n = +process.argv[3] || 1;
const workDir = mkdtempSync(join(tmpdir(), 'tierdown-ab-api-'));
const samples = { raw: [], api: [] };
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
try {
  for (let round = 0; round < rounds; round++) {
    for (const [key, runner] of [['raw', rawRunner], ['api', apiRunner]]) {
      samples[key].push(await measureStop(() => runner.start(n, 'cooperative', workDir), { settled: (procs, services) => servicesSettled(services, procs), stopTimeoutMs: GRACE_MS * 4 + 10_000 }));
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
for (const key of ['raw', 'api']) {
  const gone = samples[key].map((s) => s.goneMs); const done = samples[key].map((s) => s.toolMs);
  console.log(`${key} gone median ${med(gone).toFixed(2)} [${gone.map((x) => x.toFixed(1)).join(' ')}] done median ${med(done).toFixed(2)}`);
}
