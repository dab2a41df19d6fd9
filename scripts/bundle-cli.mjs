#!/usr/bin/env node
/**
 * Builds the cold-start bundle of the CLI (issue 14), after tsc: `npm run build`
 * and `prepare` run both.
 *
 * 1. dist/src/cli/cold.cjs: dist/src/cli/cold.js and everything it imports, as
 *    one CommonJS file beside main.js, so every `import.meta.url`-relative path
 *    in it resolves as in dist/. Command modules other than COLD_COMMANDS become
 *    a stub that throws: bin/tierdown never sends those commands here. Its first
 *    line is a build id (a hash of the rest) for bin/code-cache.cjs.
 * 2. dist/src/cli/cold-commands.cjs: which commands the bundle serves, alone,
 *    for bin/tierdown to ask before loading the bundle.
 * 3. dist/src/cli/cold.cjs.cache: V8's code cache after a warm-up `validate` of a
 *    small stack, so the functions a cold command calls start compiled.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cliDir = `${root}dist/src/cli/`;
const bundle = `${cliDir}cold.cjs`;
const { COLD_COMMANDS } = await import(`${cliDir}cold-commands.js`);
const bundled = new Set(COLD_COMMANDS.map((name) => `./${name}.js`));

const leaveOutOtherCommands = {
  name: 'leave-out-other-commands',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, ({ path, importer }) =>
      importer === `${cliDir}commands.js` && !bundled.has(path) ? { path, namespace: 'not-bundled' } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'not-bundled' }, ({ path }) => ({
      contents: `throw new Error(${JSON.stringify(`${path} is not in the cold-start bundle; bin/tierdown runs the full CLI for it`)});`,
      loader: 'js',
    }));
  },
};

// Commander loads node:child_process (with net and dgram behind it) for
// executable subcommands, which tierdown has none of: it gets it on first use.
const childProcessOnFirstUse = {
  name: 'child-process-on-first-use',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(node:)?child_process$/ }, ({ importer, namespace }) =>
      namespace === 'file' && importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'on-first-use' } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'on-first-use' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

const { outputFiles } = await build({
  entryPoints: [`${cliDir}cold.js`],
  outfile: bundle,
  write: false,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // CommonJS has no import.meta; main.ts reads package.json relative to it.
  define: { 'import.meta.url': '__tierdownBundleUrl' },
  banner: { js: 'const __tierdownBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [leaveOutOtherCommands, childProcessOnFirstUse],
  // Less to read and hold (436 KB, not 696 KB; ~1000 fewer page faults); names stay for stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
// Written before the bundle: bin/tierdown trusts both once the bundle is newer than the last tsc.
await build({ entryPoints: [`${cliDir}cold-commands.js`], outfile: `${cliDir}cold-commands.cjs`, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
const code = outputFiles[0].text;
rmSync(`${bundle}.cache`, { force: true });
writeFileSync(bundle, `// tierdown-build ${createHash('sha256').update(code).digest('hex').slice(0, 32)}\n${code}`);

// The warm-up runs in a fresh Node, as the CLI will: the cache holds what that run
// compiled. Its config is written here with this Node's own path as the command, so
// the host check passes on any machine (the MediVote example needs python3).
const warmDir = mkdtempSync(path.join(tmpdir(), 'tierdown-warm-up-'));
const warmConfig = path.join(warmDir, 'tierdown.yaml');
const command = JSON.stringify([process.execPath, '-e', '0']);
writeFileSync(
  warmConfig,
  `version: 1
defaults:
  timeouts: { http: 2s, exit: 5s, sigterm: 5s, kill: 2s }
services:
  database: { command: ${command}, tier: simple, env: { PORT: "28811" } }
  backend:
    command: ${command}
    port: 28812
    tier: critical
    ready: { http: /health }
    timeouts: { exit: 8s }
    depends_on: [database]
  frontend: { command: ${command}, tier: simple, depends_on: [backend] }
`,
);
const warmUp = `
const { loadWithCodeCache } = require(${JSON.stringify(`${root}bin/code-cache.cjs`)});
const loaded = loadWithCodeCache(${JSON.stringify(bundle)});
loaded.exports.runCold(['validate', '-c', ${JSON.stringify(warmConfig)}]).then((status) => {
  if (status !== 0) throw new Error('the warm-up validate failed (exit ' + status + ')');
  loaded.saveCache();
});`;
try {
  execFileSync(process.execPath, ['-e', warmUp], { stdio: ['ignore', 'ignore', 'inherit'] });
} finally {
  rmSync(warmDir, { recursive: true, force: true });
}
