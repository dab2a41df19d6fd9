#!/usr/bin/env node
/**
 * Builds the cold-start bundles of the CLI (issues 14 and 22), after tsc: `npm run
 * build` and `prepare` run both.
 *
 * 1. dist/src/cli/<bundle>.cjs for each of COLD_BUNDLES (`cold`, `cold-stack`,
 *    `cold-graph`, `cold-run`): dist/src/cli/cold.js and everything it imports, as one
 *    CommonJS file beside main.js, so every `import.meta.url`-relative path in it
 *    resolves as in dist/. Command modules other than the bundle's own commands
 *    (the entries of src/cli/commands.ts that name it as their `coldBundle`), and
 *    the live page and inspector relay, become a stub that throws: bin/tierdown
 *    never sends those there. Its first line is a build id (a hash of the rest)
 *    for bin/code-cache.cjs.
 * 2. dist/src/cli/cold-commands.cjs: which command lines each bundle serves, with
 *    the command table alone, for bin/tierdown to ask before loading a bundle.
 * 3. dist/src/cli/<bundle>.cjs.cache: V8's code cache after a warm-up of a small
 *    stack (`validate` and `config` for `cold`, the commands that ask a running
 *    stack, which find none, for `cold-stack`, an `up` of one service that asks
 *    for its own stop for `cold-run`), so the functions a command calls start
 *    compiled — and only those of its own family.
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
const { COLD_BUNDLES, commandsOf } = await import(`${cliDir}cold-commands.js`);
const { COMMANDS } = await import(`${cliDir}commands.js`);
// Each command's module, as its `load` imports it (`./view-report.js` for view).
const moduleOf = (command) => {
  const found = /import\(["'](\.\/[\w-]+\.js)["']\)/.exec(String(command.load));
  if (!found) throw new Error(`bundle-cli: cannot tell the module of command ${command.name} from its load()`);
  return found[1];
};
// Loaded only for --ui / --inspect, which bin/tierdown sends to the full CLI (they find files beside their modules).
const FULL_CLI_ONLY = [`${root}dist/visualizer/server.js`, `${root}dist/src/inspector/relay.js`];

const leaveOutOtherCommands = (bundled) => ({
  name: 'leave-out-other-commands',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, ({ path, importer }) =>
      importer === `${cliDir}commands.js` && !bundled.has(path) ? { path, namespace: 'not-bundled' } : undefined,
    );
    esbuild.onResolve({ filter: /(server|relay)\.js$/ }, ({ path: specifier, resolveDir }) => {
      const file = path.resolve(resolveDir, specifier);
      return FULL_CLI_ONLY.includes(file) ? { path: file, namespace: 'not-bundled' } : undefined;
    });
    esbuild.onLoad({ filter: /.*/, namespace: 'not-bundled' }, ({ path }) => ({
      contents: `throw new Error(${JSON.stringify(`${path.startsWith(root) ? path.slice(root.length) : path} is not in the cold-start bundle; bin/tierdown runs the full CLI for it`)});`,
      loader: 'js',
    }));
  },
});

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

// A bundle runs in a vm.Script (bin/code-cache.cjs), which has no import() of its own: a Node
// built-in a module loads on first use (`await import('node:child_process')` in exec) is required then.
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^node:/ }, ({ path, kind }) => (kind === 'dynamic-import' ? { path, namespace: 'builtin-by-require' } : undefined));
    esbuild.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, ({ path }) => ({ contents: `module.exports = require(${JSON.stringify(path)});`, loader: 'js' }));
  },
};

/** The source of one bundle: the entry, with the command modules of `commands` and no other. */
async function bundleSource(bundle, commands) {
  const bundled = new Set(COMMANDS.filter((command) => commands.includes(command.name)).map(moduleOf));
  const { outputFiles } = await build({
    entryPoints: [`${cliDir}cold.js`],
    outfile: `${cliDir}${bundle}.cjs`,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // CommonJS has no import.meta; main.ts reads package.json relative to it.
    define: { 'import.meta.url': '__tierdownBundleUrl' },
    banner: { js: 'const __tierdownBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [leaveOutOtherCommands(bundled), childProcessOnFirstUse, builtinsByRequire],
    // Less to read and hold (436 KB, not 696 KB; ~1000 fewer page faults); names stay for stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  return outputFiles[0].text;
}

const sources = await Promise.all(COLD_BUNDLES.map((bundle) => bundleSource(bundle, commandsOf(bundle))));
// Written before the bundles: bin/tierdown trusts both once its bundle is newer than the last tsc.
// The command table's own `load()` imports stay imports: bin/tierdown only reads the table.
const commandModulesStayOut = {
  name: 'command-modules-stay-out',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, ({ path, importer }) => (importer === `${cliDir}commands.js` ? { path, external: true } : undefined));
  },
};
await build({
  entryPoints: [`${cliDir}cold-commands.js`],
  outfile: `${cliDir}cold-commands.cjs`,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  plugins: [commandModulesStayOut],
  logLevel: 'warning',
});
COLD_BUNDLES.forEach((bundle, index) => {
  const file = `${cliDir}${bundle}.cjs`;
  rmSync(`${file}.cache`, { force: true });
  writeFileSync(file, `// tierdown-build ${createHash('sha256').update(sources[index]).digest('hex').slice(0, 32)}\n${sources[index]}`);
});

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
// Each bundle's warm-up, in one fresh Node: validate must pass; the others run as a user's
// would with no stack up (exit 3), in a folder of their own, so their paths through config
// loading and the control socket are compiled too. Each bundle saves what its own run compiled.
// `up` runs a stack of its own: one service that asks its engine to stop (Ctrl-C) once it has
// started, so the start, the tiered stop, the report and the end of the run are compiled.
const upConfig = path.join(warmDir, 'up.yaml');
const interrupter = JSON.stringify([process.execPath, '-e', "setTimeout(() => process.kill(process.ppid, 'SIGINT'), 300); setInterval(() => {}, 1e6)"]);
writeFileSync(upConfig, `version: 1\nservices:\n  interrupter: { command: ${interrupter}, tier: simple }\n`);
const WARM_UPS = [['validate'], ['config'], ['ps'], ['logs'], ['down'], ['restart', 'backend'], ['exec', 'backend', 'true'], ['stop', 'backend'], ['start', 'backend'], ['graph'], ['up']];
const warmUps = COLD_BUNDLES.map((bundle) => ({
  bundle: `${cliDir}${bundle}.cjs`,
  commands: WARM_UPS.filter(([name]) => commandsOf(bundle).includes(name)).map(([name, ...rest]) => [name, '-c', name === 'up' ? upConfig : warmConfig, ...rest]),
}));
const warmUp = `
const { loadWithCodeCache } = require(${JSON.stringify(`${root}bin/code-cache.cjs`)});
(async () => {
  for (const { bundle, commands } of ${JSON.stringify(warmUps)}) {
    const loaded = loadWithCodeCache(bundle);
    for (const argv of commands) {
      const status = await loaded.exports.runCold(argv);
      if (argv[0] === 'validate' && status !== 0) throw new Error('the warm-up validate failed (exit ' + status + ')');
    }
    loaded.saveCache();
  }
})();`;
try {
  // stderr kept: the commands with no stack say so there, and a failed warm-up shows why.
  // The timeout turns a warm-up that never ends (an `up` whose Ctrl-C never came) into a failed build, not a hung one.
  execFileSync(process.execPath, ['-e', warmUp], { stdio: ['ignore', 'ignore', 'pipe'], cwd: warmDir, env: { ...process.env, XDG_RUNTIME_DIR: warmDir, NO_COLOR: '1' }, timeout: 120_000 });
} catch (error) {
  process.stderr.write(error.stderr ?? '');
  throw error;
} finally {
  rmSync(warmDir, { recursive: true, force: true });
}
