/**
 * The entry of the cold-start bundles (dist/src/cli/cold.cjs, cold-stack.cjs,
 * cold-graph.cjs, built by scripts/bundle-cli.mjs): CommonJS files holding the
 * commands that do not run the engine — each bundle its own family of commands —
 * with the config loader, zod, yaml and commander, so they start without
 * resolving and compiling ~150 ES modules (issues 14 and 22). bin/tierdown asks
 * cold-commands.ts first and imports the full CLI (bin.ts) for everything else,
 * so no command ever mixes a bundle's copy of a module with dist/'s (an
 * `instanceof ConfigError` across the two would fail).
 */
export { COLD_COMMANDS, coldBundleFor, servesCold } from './cold-commands.js';
export { exitWhenDone, exitWhenIdle } from './exit.js';

/** Runs a command `coldBundleFor` sent to this bundle; resolves with its exit status. */
export async function runCold(argv: string[]): Promise<number> {
  // As a container's PID 1, `up` runs under a small init that reaps orphans (docs/containers.md), as in bin.ts.
  if (process.pid === 1) {
    const { runInit, runsAsInit } = await import('../pid1/init.js');
    if (runsAsInit(argv, process.env)) process.exit(await runInit(process.argv[1] ?? '', argv));
  }
  // Imported, not a static import: esbuild then evaluates the CLI only when called.
  await import('./zod-jitless.js');
  const { runCli } = await import('./run.js');
  return runCli(argv);
}
