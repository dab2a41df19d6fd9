/**
 * The zsh completion script (`tierdown completion zsh`): an `_arguments`
 * spec per command, written out from the completion model, with each flag's
 * and command's description. Works from `$fpath` (as `_tierdown`) or sourced
 * after `compinit`. Service names come from `tierdown config --services`.
 */
import type { CommandModel, FlagModel, PositionalModel, ValueKind } from './model.js';

/** Single-quoted for the shell. */
const quoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

// Inside an _arguments description `[...]`, and a _describe item `name:description`.
const bracketed = (text: string) => text.replace(/[[\]\\]/g, (char) => `\\${char}`);

function action(kind: ValueKind): string {
  if (kind === 'files') return '_files';
  if (kind === 'services') return '_tierdown_services';
  if (kind === 'commands') return '_command_names -e';
  if (kind === 'none') return ' ';
  return `(${kind.words.join(' ')})`;
}

const messageOf = (kind: ValueKind) => (typeof kind === 'object' ? 'value' : kind === 'none' ? 'value' : kind.replace(/s$/, ''));

function flagSpec(flag: FlagModel): string {
  const value = flag.value ? `:${messageOf(flag.value)}:${action(flag.value)}` : '';
  const description = `[${bracketed(flag.description)}]`;
  if (!flag.short) return quoted(`--${flag.long}${description}${value}`);
  return `${quoted(`(-${flag.short} --${flag.long})`)}{-${flag.short},--${flag.long}}${quoted(`${description}${value}`)}`;
}

function positionalSpec(positional: PositionalModel, index: number, all: PositionalModel[]): string {
  const message = messageOf(positional.kind);
  // After `--`, _arguments hands every word to the `*` spec: a command line's program included.
  const afterProgram = index > 0 && all[index - 1].kind === 'commands';
  if (positional.variadic) return quoted(`*:${message}:${afterProgram ? '_tierdown_command_line' : action(positional.kind)}`);
  return quoted(`${index + 1}:${message}:${action(positional.kind)}`);
}

function commandCase(command: CommandModel): string {
  const specs = [...command.flags.map(flagSpec), ...command.positionals.map(positionalSpec)];
  return [`        ${command.name})`, `          _arguments -S ${specs.join(' \\\n            ')} && ret=0 ;;`].join('\n');
}

export function zshScript(model: CommandModel[]): string {
  const described = model.map((command) => `    ${quoted(`${command.name}:${command.summary.replaceAll(':', '\\:')}`)}`);
  return `#compdef tierdown
# tierdown completion for zsh, printed by 'tierdown completion zsh' (see 'tierdown help completion').
# Save it as _tierdown in a folder of $fpath, or source it after compinit.

# The services of the config this command line names (-c FILE), or of the one in this folder.
_tierdown_services() {
  local -a names config
  local file=\${opt_args[-c]:-\${opt_args[--config]}}
  [[ -n $file ]] && config=(--config $file)
  names=(\${(f)"$(\${_tierdown_program:-tierdown} config --services $config 2>/dev/null)"})
  compadd -a names
}

# The rest of a command line (exec SERVICE -- COMMAND...): its program right after "--", else files.
_tierdown_command_line() {
  if [[ \${words[CURRENT-1]} == -- ]]; then _command_names -e; else _files; fi
}

_tierdown() {
  local curcontext=$curcontext state line ret=1
  local _tierdown_program=\${words[1]}
  typeset -A opt_args
  # Not "commands": that is zsh's table of programs, which _command_names reads.
  local -a subcommands
  subcommands=(
${described.join('\n')}
  )
  _arguments -C \\
    '(- *)'{-h,--help}'[help for tierdown or a command]' \\
    '(- *)'{-V,--version}'[print the version]' \\
    '1: :->command' \\
    '*:: :->argument' && ret=0
  case $state in
    command) _describe -t commands 'tierdown command' subcommands && ret=0 ;;
    argument)
      curcontext=\${curcontext%:*:*}:tierdown-$line[1]:
      case $line[1] in
${model.map(commandCase).join('\n')}
      esac ;;
  esac
  return ret
}

if [[ $funcstack[1] == _tierdown ]]; then
  _tierdown "$@"
else
  compdef _tierdown tierdown
fi
`;
}
