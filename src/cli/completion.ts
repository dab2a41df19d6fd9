/**
 * `tierdown completion bash|zsh|fish` (docs/cli.md): prints a completion
 * script built from the one table of commands and flags (commands.ts), so a
 * new command or flag completes without touching the scripts.
 */
import { parseCommandArgs, UsageError } from './args.js';
import { bashScript } from './completion/bash.js';
import { fishScript } from './completion/fish.js';
import { completionModel, type CommandModel } from './completion/model.js';
import { zshScript } from './completion/zsh.js';
import { EXIT, type CliIO } from './io.js';

const SCRIPTS: Record<string, (model: CommandModel[]) => string> = { bash: bashScript, zsh: zshScript, fish: fishScript };

export async function completion(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parseCommandArgs(argv, 'completion');
  const [shell] = positionals;
  const script = Object.hasOwn(SCRIPTS, shell) ? SCRIPTS[shell] : undefined;
  if (!script) throw new UsageError(`completion: expected bash, zsh or fish, got ${JSON.stringify(shell)}`);
  io.stdout.write(script(completionModel()));
  return EXIT.ok;
}
