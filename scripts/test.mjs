#!/usr/bin/env node
/**
 * `npm test`: builds dist/ (the CLI tests run the built binary) unless it was
 * built from the sources as they are, as right after `npm ci`
 * (scripts/build-inputs.mjs), and runs jest, with the type-check beside both
 * from the start. The type-check is incremental (its state in
 * node_modules/.cache): unchanged files are not checked again on the next run.
 * Arguments go to jest (`npm test -- test/cli/up.test.ts`). Exit status: jest's,
 * else tsc's.
 */
import { execa } from 'execa';
import { buildIsCurrent } from './build-inputs.mjs';

const node = process.execPath;
// Its output waits for jest's end, so the two never interleave.
const typecheck = execa(node, ['node_modules/typescript/bin/tsc', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/tierdown/typecheck.tsbuildinfo'], {
  all: true,
  reject: false,
});
// Skipped when dist/ was built from the sources as they are (scripts/build-inputs.mjs).
const built = buildIsCurrent() ? { exitCode: 0 } : await execa('npm', ['run', 'build', '--silent'], { stdio: 'inherit', reject: false });
if (built.exitCode !== 0) {
  typecheck.kill();
  await typecheck;
  process.exit(built.exitCode ?? 1);
}
// Node reads NODE_EXTRA_CA_CERTS (a whole CA bundle on some CI images) at every start: ~40 ms
// of CPU before any code runs, and the suite starts hundreds of Node processes (401 CLI runs
// alone). Its network is 127.0.0.1 with certificates the tests make, so the bundle is never
// consulted: the tests run without it.
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const jest = await execa(node, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...process.argv.slice(2)], { stdio: 'inherit', reject: false, env, extendEnv: false });
const checked = await typecheck;
process.stdout.write(checked.exitCode === 0 ? 'tsc --noEmit: no type errors\n' : `tsc --noEmit failed (exit ${checked.exitCode}):\n${checked.all}\n`);
process.exitCode = jest.exitCode || checked.exitCode || (jest.signal || checked.signal ? 1 : 0);
