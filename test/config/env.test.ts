// A service's environment: env_file (dotenv, relative to the config file), env: wins,
// ${VAR} from tierdown's environment and the env files; a missing variable names itself.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config/errors.js';
import { resolveConfig } from '../../src/config/resolve.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tierdown-env-'));
  writeFileSync(path.join(dir, '.env'), 'DB_HOST=db.local\nSHARED=from-file\n# a comment\nQUOTED="a b"\n');
  writeFileSync(path.join(dir, 'more.env'), 'SHARED=from-more\n');
  process.env.TIERDOWN_TEST_OUTER = 'outer';
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.TIERDOWN_TEST_OUTER;
});

const envOf = (service: Record<string, unknown>) =>
  resolveConfig({ version: 1, services: { api: { command: ['node', 'a.js'], ...service } } }, path.join(dir, 'tierdown.yaml'), dir).services[0].env;

function problemsOf(service: Record<string, unknown>): string[] {
  try {
    envOf(service);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  throw new Error('expected a config error');
}

describe('env_file', () => {
  it('reads dotenv files relative to the config file; later files and env: win', () => {
    expect(envOf({ env_file: ['.env', 'more.env'], env: { QUOTED: 'mine' } })).toEqual({ DB_HOST: 'db.local', SHARED: 'from-more', QUOTED: 'mine' });
    expect(envOf({ env_file: '.env' })).toMatchObject({ QUOTED: 'a b' });
  });

  it('names a missing file', () => {
    expect(problemsOf({ env_file: ['.env', 'nope.env'] })).toEqual([`services.api.env_file.1: no such file: ${path.join(dir, 'nope.env')}`]);
  });

  it('is only for local services', () => {
    const error = (() => {
      try {
        resolveConfig({ version: 1, services: { r: { url: 'http://10.0.0.7:9000', env_file: '.env' } } }, path.join(dir, 't.yaml'), dir);
      } catch (caught) {
        return caught as ConfigError;
      }
      return undefined;
    })();
    expect(error?.problems.map((problem) => problem.path)).toContain('services.r.env_file');
  });
});

describe('${VAR} in env values', () => {
  it('takes variables from the env files and from tierdown\'s environment', () => {
    expect(envOf({ env_file: '.env', env: { URL: 'postgres://${DB_HOST}/x', WHO: '${TIERDOWN_TEST_OUTER}-$${literal}' } })).toMatchObject({
      URL: 'postgres://db.local/x',
      WHO: 'outer-${literal}',
    });
  });

  it('names a variable that is set nowhere, with its path', () => {
    expect(problemsOf({ env: { URL: 'x${TIERDOWN_TEST_NOT_SET}' } })).toEqual([
      'services.api.env.URL: variable TIERDOWN_TEST_NOT_SET is not set',
    ]);
  });
});
