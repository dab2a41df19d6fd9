/**
 * The `tierdown` command line, on commander: it gives every command its help
 * (`help COMMAND`, `COMMAND --help`), "did you mean" for mistyped commands and
 * flags, errors for stray arguments, and `--version`. The commands themselves
 * are the table in commands.ts; each is imported only when it runs. No engine
 * logic here. Exit statuses are documented in docs/cli.md.
 */
import { Command as Program, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { declareCommand, normaliseOptionalValues } from './args.js';
import { COMMANDS, type CommandSpec } from './commands.js';
import { EXIT, type CliIO } from './io.js';

// The package's own version: from dist/src/cli/ (the binary) or src/cli/ (tests), whichever holds.
function packageVersion(): string {
  for (const up of ['../../../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'tierdown' && manifest.version) return manifest.version;
    } catch {
      // Not at this depth; try the next.
    }
  }
  return 'unknown';
}

function register(program: Program, spec: CommandSpec, run: (spec: CommandSpec) => Promise<void>): void {
  const command = program.command(spec.name).description(spec.summary);
  declareCommand(command, spec);
  command.action(() => run(spec));
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  let status: number = EXIT.ok;
  const program = new Program('tierdown')
    .description('Start a stack of services, and stop it tiered. Docs: docs/README.md')
    .usage('<command> [options]')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'help for tierdown or a command')
    .helpCommand('help [command]', 'help for a command')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error: /, 'tierdown: ')),
    })
    .exitOverride();
  program.addHelpText('after', '\nExit status: 0 ok, 1 failed, 2 bad config or usage, 3 no running stack for this config.');
  for (const spec of COMMANDS) {
    // Commander has checked the flags and arguments; the command parses its own
    // argv again through the same declaration (src/cli/args.ts), so each stays runnable on its own.
    register(program, spec, async (command) => {
      status = await (await command.load())(argv.slice(argv.indexOf(command.name) + 1), io);
    });
  }
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.badConfig;
  }
  try {
    await program.parseAsync(normaliseOptionalValues(argv), { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      const shown = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
      return shown ? EXIT.ok : EXIT.badConfig;
    }
    // Loaded only on failure: errors.ts pulls in the config module, which `--version` and `help` never need.
    const { reportError } = await import('./errors.js');
    return reportError(error, io);
  }
}
