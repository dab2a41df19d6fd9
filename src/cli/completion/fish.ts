/**
 * The fish completion script (`tierdown completion fish`): `complete` lines
 * written out from the completion model, with each flag's and command's
 * description. Service names come from `tierdown config --services`.
 */
import { flagsWithValues, type CommandModel, type FlagModel, type ValueKind } from './model.js';

const quoted = (text: string) => `'${text.replace(/['\\]/g, (char) => `\\${char}`)}'`;

// How `complete` offers a value: -F files, -x with arguments for everything else.
function values(kind: ValueKind): string {
  if (kind === 'files') return '-r -F';
  if (kind === 'services') return "-x -a '(__tierdown_services)'";
  if (kind === 'commands') return "-x -a '(__fish_complete_command)'";
  if (kind === 'none') return '-x';
  return `-x -a ${quoted(kind.words.join(' '))}`;
}

function flagLine(command: string, flag: FlagModel): string {
  const spelt = `${flag.short ? `-s ${flag.short} ` : ''}-l ${flag.long}`;
  return `complete -c tierdown -n '__tierdown_command_is ${command}' ${spelt}${flag.value ? ` ${values(flag.value)}` : ''} -d ${quoted(flag.description)}`;
}

function positionalLines(command: CommandModel): string[] {
  return command.positionals.map((positional, index) => {
    const last = index === command.positionals.length - 1;
    const at = last && positional.variadic ? `-ge ${index}` : `-eq ${index}`;
    return `complete -c tierdown -n '__tierdown_command_is ${command.name}; and test (__tierdown_positionals) ${at}' ${values(positional.kind)}`;
  });
}

export function fishScript(model: CommandModel[]): string {
  const valueFlags = flagsWithValues(model).join(' ');
  return `# tierdown completion for fish, printed by 'tierdown completion fish' (see 'tierdown help completion').
# Save it as ~/.config/fish/completions/tierdown.fish

# The command after 'tierdown' on this line, and the arguments after it (a flag's value is not one).
function __tierdown_words
    set -l tokens (commandline -opc)
    set -l command
    set -l arguments
    set -l skip 0
    set -l dashes 0
    for token in $tokens[2..-1]
        if test $skip -eq 1
            set skip 0
        else if test $dashes -eq 1
            set -a arguments $token
        else if test "$token" = --
            set dashes 1
        else if contains -- $token ${valueFlags}
            set skip 1
        else if string match -q -- '-*' $token
        else if test -z "$command"
            set command $token
        else
            set -a arguments $token
        end
    end
    printf '%s\\n' $command $arguments
end

# Whether the command on this line is $argv[1] ('' while none is typed yet).
function __tierdown_command_is
    set -l words (__tierdown_words)
    test "$words[1]" = "$argv[1]"
end

function __tierdown_positionals
    set -l words (__tierdown_words)
    math (count $words) - 1
end

# The services of the config this command line names (-c FILE), or of the one in this folder.
function __tierdown_services
    set -l tokens (commandline -opc)
    set -l config
    for i in (seq 2 (count $tokens))
        switch $tokens[$i]
            case -c --config
                set config --config $tokens[(math $i + 1)]
            case '--config=*'
                set config $tokens[$i]
        end
    end
    command $tokens[1] config --services $config 2>/dev/null
end

complete -c tierdown -f
complete -c tierdown -n "__tierdown_command_is ''" -s h -l help -d 'help for tierdown or a command'
complete -c tierdown -n "__tierdown_command_is ''" -s V -l version -d 'print the version'
${model.map((command) => `complete -c tierdown -n "__tierdown_command_is ''" -a ${command.name} -d ${quoted(command.summary)}`).join('\n')}
${model.flatMap((command) => command.flags.map((flag) => flagLine(command.name, flag))).join('\n')}
${model.flatMap(positionalLines).join('\n')}
`;
}
