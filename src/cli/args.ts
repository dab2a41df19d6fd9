/**
 * The one parser of the command line, on commander, for the one table of
 * flags in commands.ts: main.ts declares every command with `declareCommand`,
 * and a command parses its own argv with `parseCommandArgs`, through the same
 * declaration — so the two can never disagree. A bad flag is a usage error
 * (exit 2) that names it.
 */
import { Command as Program, CommanderError, Option } from 'commander';
import { COMMANDS, FLAGS, type CommandSpec, type FlagName, type FlagValues } from './commands.js';
import { TierdownError } from '../errors.js';

export class UsageError extends TierdownError<'TIERDOWN_USAGE'> {
  override name = 'UsageError';
  constructor(message?: string) {
    super('TIERDOWN_USAGE', message);
  }
}

/** Parsed flags (by their names in `FLAGS`) and positional arguments. */
export interface CommandArgs {
  values: FlagValues;
  positionals: string[];
}

const flagNames = (spec: CommandSpec) => Object.keys(spec.flags).filter((name): name is FlagName => Object.hasOwn(FLAGS, name));

/** Declares `spec`'s arguments, flags and help on `command`; returns which flag each commander attribute is. */
export function declareCommand(command: Program, spec: CommandSpec): Map<string, FlagName> {
  if (spec.arguments) command.argument(spec.arguments);
  const attributes = new Map<string, FlagName>();
  for (const name of flagNames(spec)) {
    const own = spec.flags[name];
    const { short, value, description }: { short?: string; value?: string; description: string } = { ...FLAGS[name], ...(own === true ? {} : own) };
    const option = new Option(`${short ? `-${short}, ` : ''}--${name}${value ? ` ${value}` : ''}`, description);
    command.addOption(option);
    attributes.set(option.attributeName(), name);
  }
  if (spec.details) command.addHelpText('after', `\n${spec.details}`);
  return attributes;
}

// Flags whose value may be left out (`--ui [PORT]`): a bare one is written `--ui=`, so
// `down --ui api` keeps `api` a service name. Only a number is taken as the value.
const OPTIONAL_VALUES = new Set(Object.entries(FLAGS).flatMap(([name, flag]) => ('value' in flag && flag.value.startsWith('[') ? [`--${name}`] : [])));

/** argv with every bare flag of an optional value made explicit (nothing after `--` is touched). */
export function normaliseOptionalValues(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((arg, index) => {
    if ((end !== -1 && index > end) || !OPTIONAL_VALUES.has(arg)) return arg;
    const next = argv[index + 1];
    return next !== undefined && /^\d+$/.test(next) ? arg : `${arg}=`;
  });
}

/** A command's argv (after its name) parsed by its entry in COMMANDS. */
export function parseCommandArgs(argv: readonly string[], commandName: string): CommandArgs {
  const spec = COMMANDS.find((command) => command.name === commandName);
  if (!spec) throw new Error(`no command "${commandName}" in src/cli/commands.ts`);
  const command = new Program(spec.name)
    .helpOption(false)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  const attributes = declareCommand(command, spec);
  try {
    command.parse(normaliseOptionalValues(argv), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(error.message.replace(/^error: /, ''));
    throw error;
  }
  const values: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(command.opts())) {
    const name = attributes.get(attribute);
    if (name !== undefined && value !== undefined) values[name] = value;
  }
  // Commander gives each option the type its spelling declares: a string for a value, true for a switch.
  return { values: values as FlagValues, positionals: [...command.args] };
}

/** `--order dependency|none`. */
export function parseOrder(value: string | undefined): 'dependency' | 'none' {
  if (value === undefined || value === 'dependency') return 'dependency';
  if (value === 'none') return 'none';
  throw new UsageError(`--order: expected "dependency" or "none", got "${value}"`);
}

/** `--on-failure escalate|rollback`. */
export function parseFailurePolicy(value: string | undefined): 'escalate' | 'rollback' | undefined {
  if (value === undefined || value === 'escalate' || value === 'rollback') return value;
  throw new UsageError(`--on-failure: expected "escalate" or "rollback", got "${value}"`);
}

/** `--ui [PORT]` / `--inspect [PORT]`: undefined when absent, 0 for "pick a default". */
export function parsePortFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--${name}: expected a port from 1 to 65535, got "${value}"`);
  return port;
}
