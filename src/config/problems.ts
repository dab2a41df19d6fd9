/**
 * Collecting problems instead of stopping at the first: every check adds to a
 * `Problems` list with the path it concerns, and zod's issues are reworded into
 * the same short, human form (`expected a list of strings`, `unknown key`).
 */
import * as z from 'zod';
import type { ConfigProblem } from './errors.js';
import { NAME_PATTERN } from './names.js';

/** A path into the config as keys and indexes: `['services', 'backend', 'port']`. */
export type ConfigPath = readonly PropertyKey[];

/**
 * Dot-joins a path; the empty path is the file itself. A key that is not a
 * valid name (`..`, `a/b`, one with a newline) is quoted, so the message shows
 * it exactly: `services[".."]`.
 */
export function formatPath(path: ConfigPath): string {
  if (path.length === 0) return '(top level)';
  return path
    .map(String)
    .map((key, index) => (NAME_PATTERN.test(key) ? `${index === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`))
    .join('');
}

/** An ordered list of problems, each with the path it concerns. */
export class Problems {
  readonly list: ConfigProblem[] = [];

  add(path: ConfigPath, message: string): void {
    this.list.push({ path: formatPath(path), message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

const EXPECTED_TYPE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
};

function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${count === 1 || count === 1n ? '' : 's'}`;
}

// Used for every issue a schema does not word itself (schema-level `error` wins).
const humanMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${EXPECTED_TYPE[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `expected at least ${plural(issue.minimum, 'item')}`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `expected at least ${plural(issue.minimum, 'character')}`;
      return `expected at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `expected at most ${plural(issue.maximum, 'item')}`;
      return `expected at most ${issue.maximum}`;
    case 'unrecognized_keys':
      return 'unknown key';
    default:
      return undefined;
  }
};

/**
 * Parses one section of the config, adding its issues (paths prefixed by `path`).
 *
 * @returns the parsed section, or `undefined` when it has problems.
 */
export function parseSection<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  path: ConfigPath,
  problems: Problems,
): z.output<Schema> | undefined {
  const result = schema.safeParse(value, { error: humanMessages });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const issuePath = [...path, ...issue.path];
    // zod reports all unknown keys of an object as one issue; users fix them one key at a time.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.add([...issuePath, key], 'unknown key');
    } else {
      problems.add(issuePath, issue.message);
    }
  }
  return undefined;
}
