/**
 * Config text into data. JSON is parsed by the YAML parser too: YAML 1.2 is a
 * superset of JSON, and the yaml library reports the line and column of every
 * syntax error, which Node's `JSON.parse` does not reliably do.
 */
import { LineCounter, parseDocument } from 'yaml';
import { ConfigFileError, type ConfigProblem } from './errors.js';

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
  if (document.errors.length === 0) return document.toJS() ?? {};

  const positions = document.errors.map((error) => lineCounter.linePos(error.pos[0]));
  const problems: ConfigProblem[] = document.errors.map((error, index) => ({
    path: `${source}:${positions[index].line}:${positions[index].col}`,
    message: error.message,
  }));
  const first = positions[0];
  throw new ConfigFileError('TIERDOWN_CONFIG_UNPARSABLE', problems, source, { line: first.line, column: first.col });
}
