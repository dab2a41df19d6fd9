/**
 * Which command lines the cold-start bundles serve, and from which bundle
 * (docs/how-it-works.md, "Starting the CLI"): every command of the table
 * (commands.ts) that does not name a reason to run from the full CLI, from the
 * bundle its entry names (`cold` unless it names another), help and the version.
 * Only the table is imported (its command modules load lazily), so
 * scripts/bundle-cli.mjs also builds this file as dist/src/cli/cold-commands.cjs,
 * for bin/tierdown to ask before it loads a bundle.
 */
import { COLD_BUNDLES, COMMANDS, type ColdBundle } from './commands.js';

export { COLD_BUNDLES, type ColdBundle };

/** The commands the bundles hold; every other `./<command>.js` is left out of them by the build. */
export const COLD_COMMANDS: readonly string[] = COMMANDS.filter((command) => !command.fullCli).map((command) => command.name);

/** The commands each bundle holds (`cold` also serves help, the version and bare `tierdown`). */
export function commandsOf(bundle: ColdBundle): string[] {
  return COMMANDS.filter((command) => !command.fullCli && (command.coldBundle ?? 'cold') === bundle).map((command) => command.name);
}

// Help, the version and bare `tierdown` (help) need only the command table, which every bundle holds.
const HELP_ARGUMENTS = new Set<string | undefined>([undefined, 'help', '--help', '-h', '--version', '-V']);

// The live page and the inspector relay find files beside their own modules: a command asked
// for them runs from the full CLI (where a `--ui` is a word of `exec`'s program, that only costs the fast start).
const FULL_CLI_FLAG = /^--(ui|ui-keep|inspect)(=|$)/;

/** The bundle that serves this argv (the arguments after `tierdown`), or undefined for the full CLI. */
export function coldBundleFor(argv: readonly string[]): ColdBundle | undefined {
  if (argv.some((word) => FULL_CLI_FLAG.test(word))) return undefined;
  if (HELP_ARGUMENTS.has(argv[0])) return 'cold';
  const command = COMMANDS.find((entry) => entry.name === argv[0]);
  return command && !command.fullCli ? (command.coldBundle ?? 'cold') : undefined;
}

/** Whether a bundle serves this argv. */
export function servesCold(argv: readonly string[]): boolean {
  return coldBundleFor(argv) !== undefined;
}
