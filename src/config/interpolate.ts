/**
 * Interpolation of one string value, as docker compose does it
 * (docs/config.md#interpolation): `$$` is a literal `$`; `$NAME` and `${NAME}`
 * its value; `${NAME:-word}` / `${NAME-word}` the word when NAME is unset or
 * empty / unset; `${NAME:?word}` / `${NAME?word}` an error saying word;
 * `${NAME:+word}` / `${NAME+word}` the word when NAME is set and non-empty /
 * set. A word may hold more interpolations (`${A:-${B:-x}}`), evaluated only
 * when used. A `$` before anything else stays as it is.
 *
 * Unlike compose, an unset variable without a default is an error, not an
 * empty string: an empty port or path is worse than a message.
 *
 * A scanner with its own stack of open `${`, not a recursive parser: nesting
 * as deep as the text allows costs memory, never the call stack.
 */
import { TOKEN_ENV } from '../protocol.js';

/** A variable's value, or undefined when it is set nowhere. */
export type Lookup = (name: string) => string | undefined;

export type Interpolated = { value: string } | { problems: string[] };

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Operator = (typeof OPERATORS)[number];

const SYNTAX =
  'expected "${NAME}", "${NAME:-default}", "${NAME-default}", "${NAME:?message}", "${NAME?message}", "${NAME:+other}" or "${NAME+other}" (a name is letters, digits and "_"); write "$$" for a literal "$"';

/** One `${NAME<operator>` whose word is being read, or the text itself (the bottom frame). */
interface Frame {
  name: string;
  operator: Operator | '';
  output: string;
  /** Unset variables inside the word: they count only if the word is used. */
  problems: string[];
}

function notSet(name: string, message?: string): string {
  // The run's token exists only once a service starts, in its own environment; tierdown's own (if any) is another run's.
  if (name === TOKEN_ENV) return `${TOKEN_ENV} is not a variable of the config: a local service finds the run's token in its environment`;
  return `variable ${name} is not set${message ? `: ${message}` : ''}`;
}

function valueOf(name: string, lookup: Lookup): string | undefined {
  return name === TOKEN_ENV ? undefined : lookup(name);
}

/** What a closed `${NAME<operator>word}` becomes: its text and the problems it brings. */
function close(frame: Frame, lookup: Lookup): { text: string; problems: string[] } {
  const value = valueOf(frame.name, lookup);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  const word = { text: frame.output, problems: frame.problems };
  switch (frame.operator) {
    case '':
      return set ? { text: value, problems: [] } : { text: '', problems: [notSet(frame.name)] };
    case ':-':
      return nonEmpty ? { text: value, problems: [] } : word;
    case '-':
      return set ? { text: value, problems: [] } : word;
    case ':?':
      if (nonEmpty) return { text: value, problems: [] };
      return { text: '', problems: [...word.problems, set ? `variable ${frame.name} is empty${word.text ? `: ${word.text}` : ''}` : notSet(frame.name, word.text)] };
    case '?':
      return set ? { text: value, problems: [] } : { text: '', problems: [...word.problems, notSet(frame.name, word.text)] };
    case ':+':
      return nonEmpty ? word : { text: '', problems: [] };
    case '+':
      return set ? word : { text: '', problems: [] };
  }
}

function append(frame: Frame, closed: { text: string; problems: string[] }): void {
  frame.output += closed.text;
  for (const problem of closed.problems) frame.problems.push(problem);
}

const variable = (name: string): Frame => ({ name, operator: '', output: '', problems: [] });

function readName(text: string, from: number): string {
  let end = from;
  if (end < text.length && NAME_START.test(text[end])) {
    end += 1;
    while (end < text.length && NAME_PART.test(text[end])) end += 1;
  }
  return text.slice(from, end);
}

/**
 * Interpolates `text`.
 *
 * @returns the value, or every problem found (an unset variable, `${` left open, a bad `${...}`).
 */
export function interpolate(text: string, lookup: Lookup): Interpolated {
  if (!text.includes('$')) return { value: text };
  const stack: Frame[] = [variable('')];
  let top = stack[0];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '}' && stack.length > 1) {
      const closed = close(stack.pop() as Frame, lookup);
      top = stack[stack.length - 1];
      append(top, closed);
      index += 1;
      continue;
    }
    if (char !== '$') {
      top.output += char;
      index += 1;
      continue;
    }
    const next = text[index + 1];
    if (next === '$') {
      top.output += '$';
      index += 2;
    } else if (next === '{') {
      const name = readName(text, index + 2);
      const after = index + 2 + name.length;
      const operator = OPERATORS.find((candidate) => text.startsWith(candidate, after));
      if (!name || (text[after] !== '}' && operator === undefined)) return { problems: [after >= text.length ? unterminated() : SYNTAX] };
      if (text[after] === '}') {
        append(top, close(variable(name), lookup));
        index = after + 1;
      } else {
        top = { name, operator: operator as Operator, output: '', problems: [] };
        stack.push(top);
        index = after + (operator as Operator).length;
      }
    } else {
      const name = readName(text, index + 1);
      if (name) {
        append(top, close(variable(name), lookup));
        index += 1 + name.length;
      } else {
        // `$5`, `$ `, a `$` at the end: kept, as compose keeps them.
        top.output += '$';
        index += 1;
      }
    }
  }
  if (stack.length > 1) return { problems: [unterminated()] };
  return top.problems.length ? { problems: top.problems } : { value: top.output };
}

function unterminated(): string {
  return 'unterminated "${": close it with "}", or write "$$" for a literal "$"';
}
