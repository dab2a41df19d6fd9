#!/usr/bin/env node
/**
 * Everything `npm run build` reads, as one hash. The build's last step writes it
 * to dist/.build-inputs (`--write`); `npm test` skips the build while it still
 * matches, as right after `npm ci` (whose `prepare` has just built): tsc's
 * incremental check of an unchanged tree alone costs 6-9 s of CPU.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/bundle-cli.mjs', 'scripts/build-inputs.mjs'];
// tsconfig.build.json's `include`; installed peers and bench results are not sources.
const DIRS = ['machines', 'src', 'visualizer', 'bench'];
const SKIP = new Set(['node_modules', path.join('bench', 'results')]);
// What tsc and the bundler read there; notes like bench/README.md are no input.
const CODE = /\.(?:[cm]?[jt]s|json)$/;
const STAMP = path.join(root, 'dist', '.build-inputs');
// What the tests run: a dist/ cut short after its build is built again.
const OUTPUTS = ['dist/src/index.js', 'dist/src/cli/bin.js', 'dist/src/cli/cold-commands.cjs', 'dist/bench/run.js'];

function filesUnder(dir) {
  const entries = readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (SKIP.has(entry.name) || SKIP.has(relative)) return [];
    if (entry.isDirectory()) return filesUnder(relative);
    return entry.isFile() && CODE.test(entry.name) ? [relative] : [];
  });
}

export function buildInputsHash() {
  const hash = createHash('sha256');
  for (const file of [...FILES, ...DIRS.flatMap(filesUnder)]) hash.update(`${file}\0`).update(readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

/** True when dist/ was built from exactly the sources there are now, and is all there. */
export function buildIsCurrent() {
  try {
    return OUTPUTS.every((file) => existsSync(path.join(root, file))) && readFileSync(STAMP, 'utf8') === buildInputsHash();
  } catch {
    return false;
  }
}

if (process.argv[2] === '--write') writeFileSync(STAMP, buildInputsHash());
