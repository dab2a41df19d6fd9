/**
 * The entry of the cold-start bundle (dist/src/cli/cold.cjs, built by
 * scripts/bundle-cli.mjs): one CommonJS file holding the commands that only
 * read a config — `validate`, `schema` — with the config loader, zod, yaml and
 * commander, so they start without resolving and compiling ~150 ES modules
 * (issue 14: 374 ms → see bench/README.md). bin/tierdown asks `servesCold`
 * first and imports the full CLI (bin.ts) for everything else, so no command
 * ever mixes the bundle's copy of a module with dist/'s (an `instanceof
 * ConfigError` across the two would fail).
 */

/** The commands the bundle holds; every other `./<command>.js` is left out of it by the build. */
export const COLD_COMMANDS = ['validate', 'schema'] as const;

// Help, the version and bare `tierdown` (help) need only the command table, which the bundle holds too.
const COLD_FIRST_ARGUMENTS = new Set<string | undefined>([...COLD_COMMANDS, undefined, 'help', '--help', '-h', '--version', '-V']);

/** Whether the bundle serves this argv (the arguments after `tierdown`). */
export function servesCold(argv: readonly string[]): boolean {
  return COLD_FIRST_ARGUMENTS.has(argv[0]);
}

/** Runs a command `servesCold` accepted; resolves with its exit status. */
export async function runCold(argv: string[]): Promise<number> {
  // Imported, not a static import: esbuild then evaluates the CLI only when called.
  await import('./zod-jitless.js');
  const { runCli } = await import('./run.js');
  return runCli(argv);
}
