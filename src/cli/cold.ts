/**
 * The entry of the cold-start bundle (dist/src/cli/cold.cjs, built by
 * scripts/bundle-cli.mjs): one CommonJS file holding the commands that only
 * read a config — `validate`, `schema` — with the config loader, zod, yaml and
 * commander, so they start without resolving and compiling ~150 ES modules
 * (issue 14). bin/tierdown asks cold-commands.ts first and imports the full CLI
 * (bin.ts) for everything else, so no command ever mixes the bundle's copy of a
 * module with dist/'s (an `instanceof ConfigError` across the two would fail).
 */
export { COLD_COMMANDS, servesCold } from './cold-commands.js';

/** Runs a command `servesCold` accepted; resolves with its exit status. */
export async function runCold(argv: string[]): Promise<number> {
  // Imported, not a static import: esbuild then evaluates the CLI only when called.
  await import('./zod-jitless.js');
  const { runCli } = await import('./run.js');
  return runCli(argv);
}
