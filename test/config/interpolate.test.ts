// The grammar of ${...} in one string value, as compose has it (docs/config.md#interpolation):
// a table of what each form becomes, what is an error, and what stays as written.
import { describe, expect, it } from '@jest/globals';
import { interpolate } from '../../src/config/interpolate.js';
import { lookupIn } from '../../src/config/variables.js';

const variables = lookupIn({ SET: 'value', EMPTY: '', PORT: '8001', NESTED: '${SET}', TIERDOWN_SHUTDOWN_TOKEN: 'outer-token' });
const valueOf = (text: string) => interpolate(text, variables);

describe('interpolate', () => {
  it.each([
    ['no dollar at all', 'plain text', 'plain text'],
    ['${NAME}', 'http://127.0.0.1:${PORT}/x', 'http://127.0.0.1:8001/x'],
    ['$NAME, unbraced', '$SET-$PORT', 'value-8001'],
    ['$NAME ends at the first character no name has', '$SET.x', 'value.x'],
    ['$$, a literal dollar', '$$SET and $${SET}', '$SET and ${SET}'],
    ['a $ before what no name starts with', 'cost: $5, $ and $', 'cost: $5, $ and $'],
    ['a lone } outside ${', 'a } b', 'a } b'],
    ['an empty value', '[${EMPTY}]', '[]'],
    ['${NAME:-default}: set', '${SET:-d}', 'value'],
    ['${NAME:-default}: empty', '${EMPTY:-d}', 'd'],
    ['${NAME:-default}: unset', '${UNSET:-d}', 'd'],
    ['${NAME-default}: empty stays empty', '[${EMPTY-d}]', '[]'],
    ['${NAME-default}: unset', '${UNSET-d}', 'd'],
    ['an empty default', '[${UNSET:-}]', '[]'],
    ['a default with spaces, colons and dashes', '${UNSET:-a b:c-d}', 'a b:c-d'],
    ['${NAME:+other}: set', '${SET:+yes}', 'yes'],
    ['${NAME:+other}: empty', '[${EMPTY:+yes}]', '[]'],
    ['${NAME+other}: empty is set', '${EMPTY+yes}', 'yes'],
    ['${NAME+other}: unset', '[${UNSET+yes}]', '[]'],
    ['${NAME:?message}: set', '${SET:?needed}', 'value'],
    ['${NAME?message}: empty is set', '[${EMPTY?needed}]', '[]'],
    ['a nested default', '${UNSET:-${SET}}', 'value'],
    ['nested twice', '${UNSET:-${ALSO_UNSET:-${PORT}}}', '8001'],
    ['an unbraced name in a default', '${UNSET:-$SET}', 'value'],
    ['$$ in a default', '${UNSET:-$$}', '$'],
    ['a default not used is not evaluated', '${SET:-${UNSET}}', 'value'],
    ['an unused error is not raised', '${SET:-${UNSET:?never}}', 'value'],
    ['a value is not interpolated again', '${NESTED}', '${SET}'],
    ['names with digits and _', '${_A1:-x}${SET}', 'xvalue'],
  ])('%s', (_what, text, expected) => {
    expect(valueOf(text)).toEqual({ value: expected });
  });

  it.each([
    ['an unset variable', 'port ${API_PORT}', ['variable API_PORT is not set']],
    ['an unset unbraced one', '$API_PORT', ['variable API_PORT is not set']],
    ['each unset variable', '${A}${B}', ['variable A is not set', 'variable B is not set']],
    ['one unset in a default that is used', '${UNSET:-${ALSO_UNSET}}', ['variable ALSO_UNSET is not set']],
    ['${NAME:?message}, unset', '${DB_URL:?set it in .env}', ['variable DB_URL is not set: set it in .env']],
    ['${NAME:?message}, empty', '${EMPTY:?set it}', ['variable EMPTY is empty: set it']],
    ['${NAME?message}, unset', '${DB_URL?set it}', ['variable DB_URL is not set: set it']],
    ['${NAME:?} with no message', '${DB_URL:?}', ['variable DB_URL is not set']],
    ['a message that uses a variable', '${DB_URL:?no URL on port $PORT}', ['variable DB_URL is not set: no URL on port 8001']],
  ])('%s is a problem', (_what, text, problems) => {
    expect(valueOf(text)).toEqual({ problems });
  });

  it('never takes the shutdown token from the environment', () => {
    const result = valueOf('${TIERDOWN_SHUTDOWN_TOKEN}');
    expect(result).toEqual({ problems: [expect.stringContaining('TIERDOWN_SHUTDOWN_TOKEN is not a variable of the config')] });
    expect(JSON.stringify(result)).not.toContain('outer-token');
    expect(valueOf('${TIERDOWN_SHUTDOWN_TOKEN:-none}')).toEqual({ value: 'none' });
  });

  it.each([
    ['${ left open', 'x ${SET'],
    ['${ at the very end', 'x ${'],
    ['a default left open', '${UNSET:-abc'],
    ['a nested ${ left open', '${UNSET:-${SET}'],
  ])('%s is unterminated', (_what, text) => {
    expect(valueOf(text)).toEqual({ problems: [expect.stringMatching(/^unterminated "\$\{": close it with "\}", or write "\$\$" for a literal "\$"$/)] });
  });

  it.each([
    ['an empty name', '${}'],
    ['a name starting with a digit', '${1A}'],
    ["shell's pattern substitution", '${SET/a/b}'],
    ["shell's length", '${#SET}'],
    ['a colon without an operator', '${SET:x}'],
  ])('%s is not the grammar', (_what, text) => {
    expect(valueOf(text)).toEqual({ problems: [expect.stringContaining('expected "${NAME}", "${NAME:-default}"')] });
  });

  it('reads nesting as deep as the text goes without recursion', () => {
    const depth = 200_000;
    const text = `${'${UNSET:-'.repeat(depth)}x${'}'.repeat(depth)}`;
    expect(valueOf(text)).toEqual({ value: 'x' });
  });

  it('sees only variables really set: no object property is one', () => {
    expect(valueOf('${constructor:-none}${toString:-none}')).toEqual({ value: 'nonenone' });
  });
});
