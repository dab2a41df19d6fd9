/**
 * The config a command works on: `-c FILE` or the one in the working folder,
 * interpolated with the command's environment and the `.env` beside the file,
 * or `--env-file FILE` instead (docs/config.md#interpolation).
 */
import { loadConfig, type ResolvedConfig } from '../config/index.js';
import type { FlagValues } from './commands.js';
import { checkServiceNames, UnknownServiceError } from '../engine/service-names.js';
import { EXIT, line, type CliIO } from './io.js';

export function loadCommandConfig(values: Pick<FlagValues, 'config' | 'env-file'>, io: Pick<CliIO, 'cwd' | 'env'>, file = values.config): Promise<ResolvedConfig> {
  return loadConfig(file, io.cwd, { envFile: values['env-file'], env: io.env });
}

/**
 * The one service-name check (src/engine/service-names.ts) for a command that
 * asks a running stack: prints `tierdown COMMAND: unknown service …` and gives
 * exit 2 for a name the config lacks, undefined when every name is known.
 */
export function unknownServicesStatus(command: string, config: ResolvedConfig, services: string[], io: CliIO, required: boolean): number | undefined {
  try {
    checkServiceNames(config, services, { required });
    return undefined;
  } catch (error) {
    if (!(error instanceof UnknownServiceError)) throw error;
    line(io.stderr, `tierdown ${command}: ${error.message}`);
    return EXIT.badConfig;
  }
}
