/**
 * The bash completion script (`tierdown completion bash`): a `_tierdown`
 * function for `complete -F`, written out from the completion model. Service
 * names come from `tierdown config --services` (with the line's `-c FILE`),
 * asked only when a service name is what comes next.
 */
import { flagsWithValues, type CommandModel, type ValueKind } from './model.js';

function offer(kind: ValueKind): string {
  if (kind === 'files') return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))';
  if (kind === 'services') return 'COMPREPLY=($(compgen -W "$(_tierdown_services)" -- "$cur"))';
  if (kind === 'commands') return 'COMPREPLY=($(compgen -c -- "$cur"))';
  if (kind === 'none') return 'COMPREPLY=()';
  return `COMPREPLY=($(compgen -W "${kind.words.join(' ')}" -- "$cur"))`;
}

const flagWords = (command: CommandModel) => command.flags.flatMap((flag) => [`--${flag.long}`, ...(flag.short ? [`-${flag.short}`] : [])]).join(' ');

// What a flag's value is, by the flag: one case arm per kind of value.
function valueCases(model: CommandModel[]): string[] {
  const byOffer = new Map<string, Set<string>>();
  for (const flag of model.flatMap((command) => command.flags)) {
    if (!flag.value) continue;
    const arm = offer(flag.value);
    const spellings = byOffer.get(arm) ?? new Set<string>();
    for (const spelt of [`--${flag.long}`, ...(flag.short ? [`-${flag.short}`] : [])]) spellings.add(spelt);
    byOffer.set(arm, spellings);
  }
  return [...byOffer].map(([arm, spellings]) => `    ${[...spellings].join('|')}) ${arm}; return ;;`);
}

// Which argument comes next, for each command: `$positional` counts those already typed.
function positionalCases(model: CommandModel[]): string[] {
  return model.flatMap((command) => {
    if (command.positionals.length === 0) return [];
    const arms = command.positionals.map((positional, index) => {
      const last = index === command.positionals.length - 1;
      return `        ${last && positional.variadic ? '*' : index}) ${offer(positional.kind)} ;;`;
    });
    return [`    ${command.name})`, '      case $positional in', ...arms, '      esac ;;'];
  });
}

export function bashScript(model: CommandModel[]): string {
  const valueFlags = flagsWithValues(model).join('|');
  return `# tierdown completion for bash, printed by 'tierdown completion bash' (see 'tierdown help completion').
# Load it with: source <(tierdown completion bash)

# The services of the config this command line names (-c FILE), or of the one in this folder.
_tierdown_services() {
  local i config=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      -c|--config) config=(--config "\${COMP_WORDS[i+1]}") ;;
      --config=*) config=("\${COMP_WORDS[i]}") ;;
    esac
  done
  "\${COMP_WORDS[0]}" config --services "\${config[@]}" 2>/dev/null
}

_tierdown() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local i word command= positional=0 dashes=
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ -n $dashes ]]; then ((positional++)); continue; fi
    case $word in
      --) dashes=1 ;;
      ${valueFlags}) ((i++)) ;;
      -*) ;;
      *) if [[ -z $command ]]; then command=$word; else ((positional++)); fi ;;
    esac
  done
  if [[ -z $command ]]; then
    if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "--help -h --version -V" -- "$cur"))
    else COMPREPLY=($(compgen -W "${model.map((command) => command.name).join(' ')}" -- "$cur")); fi
    return
  fi
  if [[ -z $dashes ]]; then
    case $prev in
${valueCases(model).join('\n')}
    esac
    if [[ $cur == -* ]]; then
      case $command in
${model.map((command) => `        ${command.name}) COMPREPLY=($(compgen -W "${flagWords(command)}" -- "$cur")) ;;`).join('\n')}
      esac
      return
    fi
  fi
  case $command in
${positionalCases(model).join('\n')}
  esac
}

complete -F _tierdown tierdown
`;
}
