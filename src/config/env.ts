/**
 * A local service's environment (docs/config.md#env): the dotenv files of
 * `env_file` (relative to the config file, later files win), then `env:`
 * (which wins over the files). `env` values are interpolated like every other
 * value of the file (interpolate.ts), with the service's own env files seen
 * first: a variable one of them sets is that service's, and no other's.
 */
import { parse as parseDotenv } from 'dotenv';
import path from 'node:path';
import { InputFileError, readInputFile } from '../files/bounded-read.js';
import { interpolate, type Lookup } from './interpolate.js';
import type { Problems } from './problems.js';
import { lookupIn } from './variables.js';

function readEnvFiles(files: string[], baseDir: string, at: readonly PropertyKey[], problems: Problems): Record<string, string> | undefined {
  const merged: Record<string, string> = {};
  let fine = true;
  files.forEach((file, index) => {
    const full = path.resolve(baseDir, file);
    try {
      // A regular file of at most 1 MiB: a FIFO or /dev/zero here must not hang or fill the engine.
      Object.assign(merged, parseDotenv(readInputFile(full)));
    } catch (error) {
      if (!(error instanceof InputFileError)) throw error;
      problems.add([...at, index], error.message);
      fine = false;
    }
  });
  return fine ? merged : undefined;
}

/**
 * Builds a service's `env`.
 *
 * @param servicePath e.g. `['services', 'api']`, for the problems' paths.
 * @param variables the config's variables (tierdown's environment, `.env`): see variables.ts.
 * @returns the environment, or `undefined` after adding its problems.
 */
export function resolveServiceEnv(
  raw: { env?: Record<string, string>; env_file?: string[] },
  servicePath: readonly PropertyKey[],
  baseDir: string,
  problems: Problems,
  variables: Lookup,
): Record<string, string> | undefined {
  const fromFiles = readEnvFiles(raw.env_file ?? [], baseDir, [...servicePath, 'env_file'], problems);
  if (!fromFiles) return undefined;
  const env: Record<string, string> = { ...fromFiles };
  const own = lookupIn(fromFiles);
  const lookup: Lookup = (name) => own(name) ?? variables(name);
  let fine = true;
  for (const [key, value] of Object.entries(raw.env ?? {})) {
    const result = interpolate(value, lookup);
    if ('value' in result) {
      env[key] = result.value;
      continue;
    }
    for (const message of result.problems) problems.add([...servicePath, 'env', key], message);
    fine = false;
  }
  return fine ? env : undefined;
}
