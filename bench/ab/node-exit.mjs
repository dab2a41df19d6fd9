// What Node's own exit costs (bench/README.md, "Where each target stands"): from
// process.reallyExit() in a child to its exit seen here, for a bare process, one holding a
// 50 MB heap, and one that loaded the CLI's `up` bundle. usage: npm run build && node bench/ab/node-exit.mjs [RUNS]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const bundle = fileURLToPath(new URL('../../dist/src/cli/cold-run.cjs', import.meta.url));
const loader = fileURLToPath(new URL('../../bin/code-cache.cjs', import.meta.url));
const end = 'process.stdout.write(String(process.hrtime.bigint())); process.reallyExit(0)';
const cases = {
  'node -e': end,
  '50 MB heap': `globalThis.held = Array.from({ length: 5e5 }, (_, i) => ({ i, s: 'x' + i })); ${end}`,
  'up bundle loaded': `require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(bundle)}); ${end}`,
};
const runs = +process.argv[2] || 9;
for (const [name, code] of Object.entries(cases)) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const closed = new Promise((resolve) => child.stdout.on('close', resolve));
    const exitAt = await new Promise((resolve) => child.on('exit', () => resolve(process.hrtime.bigint())));
    await closed;
    ms.push(Number(exitAt - BigInt(out)) / 1e6);
  }
  ms.sort((a, b) => a - b);
  console.log(`${name}: reallyExit → exit seen, median ${ms[ms.length >> 1].toFixed(1)} ms (${ms.map((x) => x.toFixed(1)).join(' ')})`);
}
