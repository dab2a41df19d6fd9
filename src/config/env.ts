/**
 * A local service's environment (docs/config.md#env): the dotenv files of
 * `env_file` (relative to the config file, later files win), then `env:`
 * (which wins over the files), with `${VAR}` in `env` values taken from the
 * env files and tierdown's own environment. `$$` is a literal `$`. A
 * variable that is set nowhere is a config error naming it.
 */
import { parse as parseDotenv } from 'dotenv';
import path from 'node:path';
import { InputFileError, readInputFile } from '../files/bounded-read.js';
import type { Problems } from './problems.js';

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

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
 * @param outer tierdown's own environment (`process.env`).
 * @returns the environment, or `undefined` after adding its problems.
 */
export function resolveServiceEnv(
  raw: { env?: Record<string, string>; env_file?: string[] },
  servicePath: readonly PropertyKey[],
  baseDir: string,
  problems: Problems,
  outer: NodeJS.ProcessEnv = process.env,
): Record<string, string> | undefined {
  const fromFiles = readEnvFiles(raw.env_file ?? [], baseDir, [...servicePath, 'env_file'], problems);
  if (!fromFiles) return undefined;
  const env: Record<string, string> = { ...fromFiles };
  let fine = true;
  for (const [key, value] of Object.entries(raw.env ?? {})) {
    env[key] = value.replace(REFERENCE, (whole, name: string | undefined) => {
      if (name === undefined) return '$';
      const found = fromFiles[name] ?? outer[name];
      if (found !== undefined) return found;
      problems.add([...servicePath, 'env', key], `\${${name}} is not set (neither in tierdown's environment nor in env_file)`);
      fine = false;
      return whole;
    });
  }
  return fine ? env : undefined;
}
