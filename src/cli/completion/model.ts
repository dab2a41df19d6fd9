/**
 * What shell completion offers, read off the one table of commands and flags
 * (commands.ts): each command's flags, what a flag's value is (a file, a
 * service, one of a few words), and what each positional argument is. The
 * bash, zsh and fish scripts are three spellings of this model.
 */
import { COMMANDS, FLAGS, type CommandSpec, type FlagName, type FlagSpec } from '../commands.js';

/** What to offer for a value: file names, the config's service names, programs, some words, or nothing. */
export type ValueKind = 'files' | 'services' | 'commands' | 'none' | { words: string[] };

export interface FlagModel {
  long: string;
  short?: string;
  description: string;
  /** What its value is; absent for a switch (and for a flag whose value may be left out, `--ui [PORT]`). */
  value?: ValueKind;
}

export interface PositionalModel {
  kind: ValueKind;
  /** The last one may repeat (`[SERVICE...]`). */
  variadic: boolean;
}

export interface CommandModel {
  name: string;
  summary: string;
  flags: FlagModel[];
  positionals: PositionalModel[];
}

// Placeholders as commands.ts spells them, and what a user types there.
const PLACEHOLDERS: Record<string, ValueKind> = { FILE: 'files', REPORT: 'files', SERVICE: 'services', NAME: 'services', COMMAND: 'commands' };

function kindOf(placeholder: string): ValueKind {
  if (placeholder.includes('|')) return { words: placeholder.split('|') };
  return PLACEHOLDERS[placeholder] ?? 'none';
}

const HELP_FLAG: FlagModel = { long: 'help', short: 'h', description: 'help for this command' };

function flagsOf(spec: CommandSpec): FlagModel[] {
  const names = Object.keys(spec.flags).filter((name): name is FlagName => Object.hasOwn(FLAGS, name));
  const flags = names.map((name) => {
    const own = spec.flags[name];
    const merged: FlagSpec = { ...FLAGS[name], ...(own === true ? {} : own) };
    // `<FILE>` takes a value; `[PORT]` may go without one, so what follows it is not taken for it.
    const value = merged.value?.startsWith('<') ? kindOf(merged.value.slice(1, -1)) : undefined;
    return { long: name, short: merged.short, description: merged.description, ...(value ? { value } : {}) };
  });
  return [...flags, HELP_FLAG];
}

function positionalsOf(spec: CommandSpec): PositionalModel[] {
  return (spec.arguments ?? '').split(' ').filter(Boolean).flatMap((argument): PositionalModel[] => {
    const variadic = argument.includes('...');
    const kind = kindOf(argument.replace(/^[<[]|\.\.\.|[>\]]$/g, ''));
    // A command line is a program, then its arguments (files, as the shell would offer).
    return kind === 'commands' ? [{ kind, variadic: false }, { kind: 'files', variadic }] : [{ kind, variadic }];
  });
}

/** Every command, then `help [COMMAND]` (which commander adds). */
export function completionModel(): CommandModel[] {
  const commands = COMMANDS.map((spec) => ({ name: spec.name, summary: spec.summary, flags: flagsOf(spec), positionals: positionalsOf(spec) }));
  const help = { name: 'help', summary: 'help for a command', flags: [], positionals: [{ kind: { words: COMMANDS.map((spec) => spec.name) }, variadic: false }] };
  return [...commands, help];
}

/** The flags that take a value, as typed (`-c`, `--config`): the word after one is its value, not an argument. */
export function flagsWithValues(model: CommandModel[]): string[] {
  const spelt = model.flatMap((command) => command.flags.filter((flag) => flag.value).flatMap((flag) => [`--${flag.long}`, ...(flag.short ? [`-${flag.short}`] : [])]));
  return [...new Set(spelt)];
}
