/**
 * Service and tier names end up in file names (log files, cgroups), environment
 * values, socket paths, Mermaid ids, command lines and as keys of plain
 * objects. So a name is one safe path segment (docs/security.md#names-are-one-safe-path-segment): short,
 * made of safe characters, never `.` or `..` (a service named `..` would have the
 * engine's own cgroup), never starting with `-` (a command line would take it
 * for a flag), and never one of JavaScript's own object properties:
 * `constructor` would look present in every lookup table, and `__proto__` is
 * dropped without a word by the schema library.
 */
import type { Problems } from './problems.js';

/** Service and tier names: a letter, digit or `_`, then letters, digits, `_`, `-` and `.`. */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Longest service or tier name: its log file `<name>.stdout.log` must fit a file-name component (255 bytes). */
export const MAX_NAME_LENGTH = 100;

const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Why `name` cannot name a service or tier, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name === '') return 'a name cannot be empty';
  if (name.length > MAX_NAME_LENGTH) return `name is ${name.length} characters long; at most ${MAX_NAME_LENGTH}`;
  if (/^\.+$/.test(name)) return `invalid name ${JSON.stringify(name)}: "." and ".." are paths, not names; a name starts with a letter, digit or "_"`;
  if (!NAME_PATTERN.test(name)) return `invalid name ${JSON.stringify(name)}: a name starts with a letter, digit or "_" and has only letters, digits, "_", "-" and "."`;
  if (RESERVED.has(name)) return `${JSON.stringify(name)} is reserved (a JavaScript object property); choose another name`;
  return undefined;
}

function mapping(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const own = (object: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * `__proto__` keys, which the schema drops before any other check sees them:
 * a service, a tier or an env variable must not vanish silently.
 */
export function checkDroppedKeys(raw: unknown, problems: Problems): void {
  const top = mapping(raw);
  if (!top) return;
  for (const section of ['services', 'tiers'] as const) {
    const entries = mapping(top[section]);
    if (!entries) continue;
    if (own(entries, '__proto__')) problems.add([section, '__proto__'], nameProblem('__proto__') as string);
    if (section !== 'services') continue;
    for (const [name, service] of Object.entries(entries)) {
      const env = mapping(mapping(service)?.env);
      if (env && own(env, '__proto__')) problems.add([section, name, 'env', '__proto__'], 'reserved variable name (a JavaScript object property)');
    }
  }
}
