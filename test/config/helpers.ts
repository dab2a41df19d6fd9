// Shared by the config tests: resolve an object and read back its problems as the CLI prints them.
import { expect } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { resolveConfig } from '../../src/config/resolve.js';
import type { ResolvedConfig, ResolvedService } from '../../src/config/types.js';

export const BASE_DIR = '/srv/stack';

/** A valid minimal local service, to build configs around the part under test. */
export const LOCAL = { command: ['node', 'server.js'] };

export function resolve(raw: unknown): ResolvedConfig {
  return resolveConfig(raw, `${BASE_DIR}/tierdown.yaml`, BASE_DIR);
}

export function serviceOf(raw: Record<string, unknown>, name = Object.keys(raw)[0]): ResolvedService {
  const service = resolve({ version: 1, services: raw }).services.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`no service ${name}`);
  return service;
}

/** The problems of an invalid config, one `path: message` line each. */
export function problemsOf(raw: unknown): string[] {
  try {
    resolve(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  throw new Error('expected the config to be invalid');
}

/** The problems of a config whose only content under test is `services`. */
export function serviceProblems(services: Record<string, unknown>): string[] {
  return problemsOf({ version: 1, services });
}
