import { afterEach, beforeEach, describe, it, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, ConfigFileError, loadConfig, parseConfig } from '../../src/config/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
const MINIMAL_YAML = 'version: 1\nservices:\n  api:\n    command: [node, server.js]\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tierdown-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('finding the file', () => {
  it('reads tierdown.yaml in the working directory', async () => {
    const file = write('tierdown.yaml', MINIMAL_YAML);
    const config = await loadConfig(undefined, dir);
    expect(config.source).toBe(file);
    expect(config.services[0]).toMatchObject({ name: 'api', cwd: dir });
  });

  it('falls back to tierdown.yml, then tierdown.json', async () => {
    write('tierdown.json', '{"version": 1, "services": {"from_json": {"command": ["x"]}}}');
    expect((await loadConfig(undefined, dir)).services[0].name).toBe('from_json');
    write('tierdown.yml', MINIMAL_YAML.replace('api', 'from_yml'));
    expect((await loadConfig(undefined, dir)).services[0].name).toBe('from_yml');
    write('tierdown.yaml', MINIMAL_YAML.replace('api', 'from_yaml'));
    expect((await loadConfig(undefined, dir)).services[0].name).toBe('from_yaml');
  });

  it('reads a named file relative to the working directory, and resolves cwd against its folder', async () => {
    const file = write('deploy/stack.yaml', MINIMAL_YAML.replace('command', 'cwd: services\n    command'));
    const config = await loadConfig('deploy/stack.yaml', dir);
    expect(config.source).toBe(file);
    expect(config.services[0].cwd).toBe(path.join(dir, 'deploy', 'services'));
  });

  it('says where it looked when there is no file', async () => {
    const error = await failure(loadConfig(undefined, dir));
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error.name).toBe('ConfigFileError');
    expect(error.code).toBe('TIERDOWN_CONFIG_NOT_FOUND');
    expect(error.message).toBe(`${dir}: no config file: looked for tierdown.yaml, tierdown.yml, tierdown.json`);
  });

  it('names a missing file', async () => {
    const error = await failure(loadConfig('nope.yaml', dir));
    expect(error.code).toBe('TIERDOWN_CONFIG_NOT_FOUND');
    expect(error.message).toBe(`${path.join(dir, 'nope.yaml')}: no such file`);
  });

  it('names a file that cannot be read', async () => {
    mkdirSync(path.join(dir, 'folder.yaml'));
    const error = await failure(loadConfig('folder.yaml', dir));
    expect(error.code).toBe('TIERDOWN_CONFIG_UNREADABLE');
    expect(error.message).toBe(`${path.join(dir, 'folder.yaml')}: is a directory, not a config file`);
  });

  it('reads neither a device nor more than 16 MiB: -c /dev/zero is an error, not a process that grows for ever', async () => {
    const device = await failure(loadConfig('/dev/zero', dir));
    expect(device.code).toBe('TIERDOWN_CONFIG_UNREADABLE');
    expect(device.message).toBe('/dev/zero: is a device, not a config file');
    // A sparse file: 17 MiB of zeros that take no disk.
    const big = path.join(dir, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, 17 * 1024 * 1024);
    const tooBig = await failure(loadConfig('big.yaml', dir));
    expect(tooBig.message).toBe(`${big}: is larger than 16 MiB, too big for a config file`);
  });
});

describe('YAML and JSON', () => {
  it('accepts the example of SPEC §4 once its remote service names the token file it needs', async () => {
    // The run token never leaves the machine: the example's remote ledger_mirror, as printed, has no token to send.
    const verbatim = await failure(loadConfig('spec-example.yaml', FIXTURES));
    expect(verbatim.problems.map((problem) => problem.path)).toEqual(['services.ledger_mirror.shutdown.tokenFile']);
    const text = readFileSync(path.join(FIXTURES, 'spec-example.yaml'), 'utf8');
    write('spec-example.yaml', `${text.trimEnd()}\n    shutdown: { tokenFile: ledger.token }\n`);
    const config = await loadConfig('spec-example.yaml', dir);
    expect(config.services.map((service) => service.name)).toEqual(['blockchain_node', 'backend', 'frontend', 'ledger_mirror']);
    expect(config.tiers.drain).toMatchObject({ steps: ['http', 'sigterm', 'forceKill'], signal: 'SIGINT' });
    const backend = config.services[1];
    expect(backend).toMatchObject({
      timeouts: { http: 2000, exit: 8000, sigterm: 5000, kill: 2000 },
      dependsOn: ['blockchain_node'],
      shutdownUrl: 'http://127.0.0.1:8001/shutdown',
      ready: { kind: 'http', url: 'http://127.0.0.1:8001/health', timeoutMs: 30_000 },
    });
    expect(config.services[3]).toMatchObject({ url: 'http://10.0.0.7:9000', shutdownUrl: 'http://10.0.0.7:9000/shutdown', tier: { steps: ['http'] } });
  });

  it('reads JSON, tab-indented or not', () => {
    const json = '{\n\t"version": 1,\n\t"services": {\n\t\t"api": { "command": ["node", "s.js"], "env": { "PORT": 8080 } }\n\t}\n}\n';
    const config = parseConfig(json, path.join(dir, 'tierdown.json'), dir);
    expect(config.services[0].env).toEqual({ PORT: '8080' });
  });

  it('gives the line and column of a YAML syntax error', () => {
    const text = 'version: 1\nservices:\n  api:\n    command: [node, x.js\n  web: {}\n';
    let error: unknown;
    try {
      parseConfig(text, 'tierdown.yaml', dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigFileError);
    const { code, line, problems } = error as ConfigFileError;
    expect(code).toBe('TIERDOWN_CONFIG_UNPARSABLE');
    expect(line).toBeGreaterThanOrEqual(4);
    expect(problems[0].path).toMatch(/^tierdown\.yaml:\d+:\d+$/);
  });

  it('rejects duplicate keys', () => {
    expect(() => parseConfig('version: 1\nversion: 1\n', 'tierdown.yaml', dir)).toThrow('tierdown.yaml:2:1: Map keys must be unique');
  });

  it('gives the line of a JSON syntax error', () => {
    expect(() => parseConfig('{\n  "version": 1,\n  "services": {\n}', 'tierdown.json', dir)).toThrow(/^tierdown\.json:4:2: /);
  });

  it('says a file nested deeper than the parser can read is nested too deeply, not that a stack overflowed', () => {
    const depth = 200_000;
    const text = `version: 1\nservices:\n  api:\n    command: [node]\n    x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    expect(() => parseConfig(text, 'tierdown.yaml', dir)).toThrow(/tierdown\.yaml:5:\d+: nested too deeply to read/);
  });

  it('treats an empty file as an empty config, and says what it lacks', () => {
    expect(() => parseConfig('', 'tierdown.yaml', dir)).toThrow('version: expected 1\nservices: required');
  });
});

describe('a file with many problems', () => {
  it('reports every problem, one line each, naming its path', async () => {
    const error = await failure(loadConfig('many-problems.yaml', FIXTURES));
    expect(error.name).toBe('ConfigError');
    expect(error.code).toBe('TIERDOWN_CONFIG_INVALID');
    expect(error.source).toBe(path.join(FIXTURES, 'many-problems.yaml'));
    expect(error.message.split('\n')).toEqual([
      'on_failure: expected one of: escalate, rollback',
      'tiers.drain.steps.1: unknown step "sigkill" (known: http, command, sigterm, forceKill)',
      'tiers.drain.signal: unknown signal "SIGFOO"',
      'services.backend.timeouts.exit: expected a duration like "5s"',
      'services.backend.colour: unknown key',
      'services.backend.tier: unknown tier "fast" (known: auto, critical, simple, drain)',
      'services.orphan: needs a command (a local process) or a url (a remote service)',
      'services.backend.depends_on: dependency cycle: backend -> frontend -> backend',
    ]);
    expect(error.problems[0]).toEqual({ path: 'on_failure', message: 'expected one of: escalate, rollback' });
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});
