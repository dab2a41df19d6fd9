/**
 * What a config asks of this machine, checked before anything starts: every
 * local service's working folder and program (spawn-checks.ts), every
 * `shutdown.tokenFile`, and sd_notify for a service that is ready by
 * `READY=1`. Separate from `resolveConfig` because the answer depends on the
 * host, not the file: `validate` and `up` ask it; `down`, `graph` and the
 * others, which start nothing, do not (a stack must stay stoppable after its
 * program was uninstalled).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { unixDgram } from '../notify/dgram.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { spawnProblems, type ProgramsFound } from './spawn-checks.js';
import type { ResolvedConfig } from './types.js';

function tokenFileProblem(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return `${JSON.stringify(file)} is not a file`;
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${JSON.stringify(file)} does not exist`;
    return `${JSON.stringify(file)} cannot be read (${code ?? String(error)})`;
  }
}

/** Every problem the host has with the config; empty when everything can be tried. */
export function hostProblems(config: ResolvedConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const programs: ProgramsFound = new Map();
  for (const service of config.services) {
    const at = `services.${service.name}`;
    if (service.command) {
      for (const { field, message } of spawnProblems(service.command, service.cwd, { PATH: service.env.PATH ?? process.env.PATH }, programs)) {
        problems.push({ path: `${at}.${field}`, message });
      }
    }
    const tokenIssue = service.tokenFile === undefined ? undefined : tokenFileProblem(service.tokenFile);
    if (tokenIssue) problems.push({ path: `${at}.shutdown.tokenFile`, message: tokenIssue });
    const dgram = service.ready.kind === 'notify' ? unixDgram() : undefined;
    if (dgram && 'missing' in dgram) problems.push({ path: `${at}.ready.notify`, message: dgram.missing });
  }
  return problems;
}

/**
 * @throws {ConfigError} `TIERDOWN_CONFIG_INVALID` naming each path the host cannot serve.
 */
export function checkHost(config: ResolvedConfig): void {
  const problems = hostProblems(config);
  if (problems.length) throw new ConfigError(problems, config.source);
}
