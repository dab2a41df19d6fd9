/**
 * Where `${VAR}` in a config finds its value (docs/config.md#interpolation):
 * tierdown's own environment first, then the `.env` file beside the config —
 * or, instead of it, the file `--env-file` names. Like compose, `.env` only
 * feeds interpolation: a service's environment gets it only through `env_file`.
 */
import { parse as parseDotenv } from 'dotenv';
import { statSync } from 'node:fs';
import path from 'node:path';
import { InputFileError, readInputFile } from '../files/bounded-read.js';
import { ConfigFileError } from './errors.js';
import type { Lookup } from './interpolate.js';

/** The `.env` read beside the config file unless `--env-file` names another. */
export const DEFAULT_ENV_FILE = '.env';

export interface VariableOptions {
  /** `--env-file FILE`, relative to `cwd`: read instead of the `.env` beside the config. */
  envFile?: string;
  /** tierdown's own environment (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Folder `envFile` is relative to (default: `process.cwd()`). */
  cwd?: string;
}

/** A lookup that sees only what is really set: `constructor` is no variable of anyone's. */
export function lookupIn(...sources: Readonly<Record<string, string | undefined>>[]): Lookup {
  return (name) => {
    for (const source of sources) {
      const value = Object.hasOwn(source, name) ? source[name] : undefined;
      if (typeof value === 'string') return value;
    }
    return undefined;
  };
}

/**
 * Reads a dotenv file the user named for interpolation (a regular file of at
 * most 1 MiB, docs/security.md#input-bounds).
 *
 * @throws {ConfigFileError} naming the file; never its content.
 */
export function readVariablesFile(file: string): Record<string, string> {
  try {
    return parseDotenv(readInputFile(file));
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    const code = error.errno === 'ENOENT' ? 'TIERDOWN_CONFIG_NOT_FOUND' : 'TIERDOWN_CONFIG_UNREADABLE';
    throw new ConfigFileError(code, [{ path: file, message: error.message }], file);
  }
}

/**
 * The variables of a config in `configDir`: the environment, then `--env-file`
 * (which must exist) or the `.env` beside the config (when there is one).
 *
 * @throws {ConfigFileError} when the env file is missing (`--env-file` only), not a regular file, too big or unreadable.
 */
export function configVariables(configDir: string, options: VariableOptions = {}): Lookup {
  const env = options.env ?? process.env;
  const named = options.envFile === undefined ? undefined : path.resolve(options.cwd ?? process.cwd(), options.envFile);
  const file = named ?? path.join(configDir, DEFAULT_ENV_FILE);
  return named !== undefined || exists(file) ? lookupIn(env, readVariablesFile(file)) : lookupIn(env);
}

// A missing default .env is no problem; anything else there (a folder, a FIFO, one we may not read) is.
function exists(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}
