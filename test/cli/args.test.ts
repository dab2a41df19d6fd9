// The command line's one table (src/cli/commands.ts) and its one parser (args.ts):
// what main.ts registers is what each command parses, flag by flag.
import { describe, expect, it } from '@jest/globals';
import { Command as Program } from 'commander';
import { declareCommand, parseCommandArgs, UsageError } from '../../src/cli/args.js';
import { COMMANDS, FLAGS, type FlagName } from '../../src/cli/commands.js';

const flagsOf = (name: string) => Object.keys(COMMANDS.find((command) => command.name === name)?.flags ?? {}) as FlagName[];
const sample = (name: FlagName) => ('value' in FLAGS[name] ? ['--' + name, '7'] : ['--' + name]);

describe('the flag table', () => {
  it('declares every flag some command takes, and none that no command takes', () => {
    const used = new Set(COMMANDS.flatMap((command) => flagsOf(command.name)));
    expect([...used].filter((name) => !(name in FLAGS))).toEqual([]);
    expect(Object.keys(FLAGS).filter((name) => !used.has(name as FlagName))).toEqual([]);
  });

  it.each(COMMANDS.map((command) => [command.name]))('%s parses every flag its help lists, by its name in the table', (name) => {
    const program = new Program().enablePositionalOptions(); // as main.ts declares them
    declareCommand(program.command(name), COMMANDS.find((command) => command.name === name) ?? COMMANDS[0]);
    const listed = program.commands[0].options.map((option) => option.long);
    expect(listed).toEqual(flagsOf(name).map((flag) => `--${flag}`));
    const positionals: Record<string, string[]> = { export: ['systemd'], view: ['x'], restart: ['x'], stop: ['x'], start: ['x'], exec: ['api', 'true'], completion: ['bash'] };
    const positional = positionals[name] ?? [];
    for (const flag of flagsOf(name)) {
      const { values } = parseCommandArgs([...sample(flag), ...positional], name);
      expect(values[flag]).toBe('value' in FLAGS[flag] ? '7' : true);
    }
  });

  it('reads a bare --ui as "the default port", leaving the next word a service name', () => {
    expect(parseCommandArgs(['--ui', 'api', '-c', 'x.yaml'], 'down')).toEqual({ values: { ui: '', config: 'x.yaml' }, positionals: ['api'] });
    expect(parseCommandArgs(['--ui', '8080', 'api'], 'down')).toEqual({ values: { ui: '8080' }, positionals: ['api'] });
  });

  it('turns a flag a command does not take into a usage error naming it', () => {
    expect(() => parseCommandArgs(['--grace', '3s'], 'down')).toThrow(UsageError);
    expect(() => parseCommandArgs(['--grace', '3s'], 'down')).toThrow(/--grace/);
  });
});
