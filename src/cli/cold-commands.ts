/**
 * Which command lines the cold-start bundle serves (docs/how-it-works.md,
 * "Starting the CLI"): every command of the table (commands.ts) that does not
 * name a reason to run from the full CLI, help and the version. Only the table
 * is imported (its command modules load lazily), so scripts/bundle-cli.mjs also
 * builds this file as dist/src/cli/cold-commands.cjs, for bin/tierdown to ask
 * before it loads the bundle.
 */
import { COMMANDS } from './commands.js';

/** The commands the bundle holds; every other `./<command>.js` is left out of it by the build. */
export const COLD_COMMANDS: readonly string[] = COMMANDS.filter((command) => !command.fullCli).map((command) => command.name);

// Help, the version and bare `tierdown` (help) need only the command table, which the bundle holds too.
const COLD_FIRST_ARGUMENTS = new Set<string | undefined>([...COLD_COMMANDS, undefined, 'help', '--help', '-h', '--version', '-V']);

// The live page and the inspector relay find files beside their own modules: a command asked
// for them runs from the full CLI (where a `--ui` is a word of `exec`'s program, that only costs the fast start).
const FULL_CLI_FLAG = /^--(ui|ui-keep|inspect)(=|$)/;

/** Whether the bundle serves this argv (the arguments after `tierdown`). */
export function servesCold(argv: readonly string[]): boolean {
  return COLD_FIRST_ARGUMENTS.has(argv[0]) && !argv.some((word) => FULL_CLI_FLAG.test(word));
}
