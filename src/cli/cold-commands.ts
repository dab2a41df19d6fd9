/**
 * Which commands the cold-start bundle serves (docs/how-it-works.md, "Starting
 * the CLI"). No imports: scripts/bundle-cli.mjs also builds this file alone,
 * as dist/src/cli/cold-commands.cjs, so bin/tierdown can ask it without loading
 * the bundle for a command that is not in it.
 */

/** The commands the bundle holds; every other `./<command>.js` is left out of it by the build. */
export const COLD_COMMANDS = ['validate', 'schema', 'config', 'completion'] as const;

// Help, the version and bare `tierdown` (help) need only the command table, which the bundle holds too.
const COLD_FIRST_ARGUMENTS = new Set<string | undefined>([...COLD_COMMANDS, undefined, 'help', '--help', '-h', '--version', '-V']);

/** Whether the bundle serves this argv (the arguments after `tierdown`). */
export function servesCold(argv: readonly string[]): boolean {
  return COLD_FIRST_ARGUMENTS.has(argv[0]);
}
