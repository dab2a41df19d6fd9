/**
 * The config a command works on: `-c FILE` or the one in the working folder,
 * interpolated with the command's environment and the `.env` beside the file,
 * or `--env-file FILE` instead (docs/config.md#interpolation).
 */
import { loadConfig, type ResolvedConfig } from '../config/index.js';
import type { FlagValues } from './commands.js';
import type { CliIO } from './io.js';

export function loadCommandConfig(values: Pick<FlagValues, 'config' | 'env-file'>, io: Pick<CliIO, 'cwd' | 'env'>, file = values.config): Promise<ResolvedConfig> {
  return loadConfig(file, io.cwd, { envFile: values['env-file'], env: io.env });
}
