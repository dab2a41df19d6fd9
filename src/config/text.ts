/**
 * Config text into data. JSON is parsed by the YAML parser too: YAML 1.2 is a
 * superset of JSON, and the yaml library reports the line and column of every
 * syntax error, which Node's `JSON.parse` does not reliably do.
 */
import { LineCounter, parseDocument } from 'yaml';
import { ConfigFileError, type ConfigProblem } from './errors.js';

/**
 * Aliases a document may expand: a config needs a few (shared env blocks); a
 * "billion laughs" file nests them to expand into gigabytes. yaml's own default
 * (100), named here because the limit is part of what a config may be.
 */
const MAX_ALIAS_COUNT = 100;

/** The parser's words for a file nested deeper than its stack, in the user's. */
const TOO_DEEP = /maximum call stack size exceeded/i;
const readable = (message: string) => (TOO_DEEP.test(message) ? 'nested too deeply to read (a config needs a few levels, not thousands)' : message);

function toData(document: ReturnType<typeof parseDocument>, source: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    // yaml throws a ReferenceError once the expansion passes the limit.
    const message = /alias/i.test((error as Error).message)
      ? `aliases expand too far (over the limit of ${MAX_ALIAS_COUNT}; a YAML "alias bomb"?)`
      : `cannot be read as data: ${readable((error as Error).message)}`;
    throw new ConfigFileError('TIERDOWN_CONFIG_UNPARSABLE', [{ path: source, message }], source);
  }
}

/**
 * Parses YAML or JSON text.
 *
 * An empty file reads as an empty mapping, so the user is told what it lacks
 * (`version`, `services`) rather than that it is not a mapping.
 *
 * @param source shown in front of the line and column of syntax errors.
 * @throws {ConfigFileError} `TIERDOWN_CONFIG_UNPARSABLE`, one problem per syntax error.
 */
export function parseText(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length === 0) return toData(document, source);

  const positions = document.errors.map((error) => lineCounter.linePos(error.pos[0]));
  const problems: ConfigProblem[] = document.errors.map((error, index) => ({
    path: `${source}:${positions[index].line}:${positions[index].col}`,
    message: readable(error.message),
  }));
  const first = positions[0];
  throw new ConfigFileError('TIERDOWN_CONFIG_UNPARSABLE', problems, source, { line: first.line, column: first.col });
}
