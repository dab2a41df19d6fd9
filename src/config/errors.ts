/**
 * The config loader's errors. Every way a config can be wrong is a `ConfigError`
 * with a stable `code` and a list of problems, each naming where it is; the CLI
 * prints `message` (one line per problem) and exits 2, never a stack.
 */
import { TierdownError } from '../errors.js';

/** One thing wrong with a config: where (`services.backend.port`) and what. */
export interface ConfigProblem {
  /** Dot-joined path into the config (`services.backend.timeouts.exit`), or `file:line:column` for syntax errors. */
  path: string;
  message: string;
}

/** Stable codes, matchable across copies of the library (like undici's `UND_ERR_*`). */
export type ConfigErrorCode =
  | 'TIERDOWN_CONFIG_INVALID'
  | 'TIERDOWN_CONFIG_NOT_FOUND'
  | 'TIERDOWN_CONFIG_UNREADABLE'
  | 'TIERDOWN_CONFIG_UNPARSABLE';

function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join('\n');
}

/**
 * The config parsed but does not make sense: unknown keys, bad durations, unknown
 * tiers, dependency cycles... `problems` holds all of them, not just the first.
 */
export class ConfigError extends TierdownError<ConfigErrorCode> {
  override name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  /** The file the config came from (`<inline>` for the API). */
  readonly source: string;

  constructor(problems: readonly ConfigProblem[], source: string, code: ConfigErrorCode = 'TIERDOWN_CONFIG_INVALID') {
    super(code, describeProblems(problems));
    this.problems = problems;
    this.source = source;
  }
}

/**
 * The config file could not be turned into data at all: it is missing, unreadable,
 * or not valid YAML/JSON. A `ConfigError` too, so one `instanceof` catches every
 * bad config; `code` tells them apart.
 */
export class ConfigFileError extends ConfigError {
  override name = 'ConfigFileError';
  /** 1-based position of the first syntax error, when the parser knows it. */
  readonly line?: number;
  readonly column?: number;

  constructor(
    code: Exclude<ConfigErrorCode, 'TIERDOWN_CONFIG_INVALID'>,
    problems: readonly ConfigProblem[],
    source: string,
    position?: { line: number; column: number },
  ) {
    super(problems, source, code);
    this.line = position?.line;
    this.column = position?.column;
  }
}
