// ${VAR} in every value of a config file (docs/config.md#interpolation): from the
// environment and the .env beside the file (or --env-file's), numbers where numbers go,
// env_file only for its own service's env, and problems that name the variable and path.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/config/errors.js';
import { resolveConfig } from '../../src/config/resolve.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tierdown-interpolation-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const load = (env: NodeJS.ProcessEnv = {}, envFile?: string) => loadConfig(undefined, dir, { env, envFile });

async function problemsOf(env: NodeJS.ProcessEnv = {}, envFile?: string): Promise<string[]> {
  const error = await load(env, envFile).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
}

describe('variables', () => {
  it('come from tierdown\'s environment and the .env beside the config; the environment wins', async () => {
    write('.env', 'API_PORT=8001\nNAME=from-dotenv\n');
    write('tierdown.yaml', 'version: 1\nservices:\n  api:\n    command: [node, "${NAME}.js", "--port=${API_PORT}"]\n    port: ${API_PORT}\n');
    const [api] = (await load({ NAME: 'from-env' })).services;
    expect(api.command).toEqual(['node', 'from-env.js', '--port=8001']);
    expect(api.port).toBe(8001);
  });

  it('come from --env-file instead of .env when it is given, relative to the working folder', async () => {
    write('.env', 'NAME=dotenv\n');
    write('other.env', 'NAME=other\n');
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, "${NAME}.js"] }\n');
    expect((await load({}, 'other.env')).services[0].command).toEqual(['node', 'other.js']);
  });

  it('a missing --env-file is an error; a missing .env is none', async () => {
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, "${NAME:-x}.js"] }\n');
    expect((await load()).services[0].command).toEqual(['node', 'x.js']);
    const error = await load({}, 'nope.env').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TIERDOWN_CONFIG_NOT_FOUND', message: `${path.join(dir, 'nope.env')}: no such file: ${path.join(dir, 'nope.env')}` });
  });

  it('a .env that is not a regular file is refused, never read', async () => {
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, a.js] }\n');
    execFileSync('mkfifo', [path.join(dir, '.env')]);
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TIERDOWN_CONFIG_UNREADABLE', message: expect.stringContaining('is a FIFO, not a regular file') });
  });
});

describe('every string value', () => {
  it('is interpolated: command, port, cwd, env_file, url, shutdown, ready, timeouts, tier, depends_on', async () => {
    write('api.env', 'FROM_FILE=yes\n');
    write('token', 'x');
    write(
      'tierdown.yaml',
      `version: 1
defaults: { timeouts: { kill: "\${KILL:-3s}" } }
services:
  db: { command: [node, db.js], cwd: "\${DIR:-.}", tier: "\${TIER:-simple}", restart: { policy: "\${POLICY}", max_restarts: "\${MAX}" } }
  api:
    command: [node, api.js]
    port: "\${API_PORT:-8001}"
    env_file: "\${ENV_FILE}"
    depends_on: ["\${DB:-db}"]
    ready: { tcp: "\${TCP:-true}", timeout: "\${READY_TIMEOUT}" }
  remote: { url: "http://\${HOST}:9000", shutdown: { url: "http://\${HOST}:9000/stop", tokenFile: "\${TOKEN_FILE}" } }
`,
    );
    const config = await load({ ENV_FILE: 'api.env', HOST: '10.0.0.7', TOKEN_FILE: 'token', POLICY: 'on-failure', MAX: '3', READY_TIMEOUT: '2s' });
    const [db, api, remote] = config.services;
    expect(db).toMatchObject({ cwd: dir, tier: { name: 'simple' }, timeouts: { kill: 3000 }, restart: { policy: 'on-failure', maxRestarts: 3 } });
    expect(api).toMatchObject({ port: 8001, env: { FROM_FILE: 'yes' }, dependsOn: ['db'], ready: { kind: 'tcp', port: 8001, timeoutMs: 2000 } });
    expect(remote).toMatchObject({ url: 'http://10.0.0.7:9000', shutdownUrl: 'http://10.0.0.7:9000/stop', tokenFile: path.join(dir, 'token') });
  });

  it('keeps $$ a literal dollar and never interpolates keys', async () => {
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [sh, -c, "echo $$HOME"], env: { "${KEY}": "$$x" } }\n');
    const [api] = (await load({ KEY: 'k' })).services;
    expect(api.command).toEqual(['sh', '-c', 'echo $HOME']);
    expect(api.env).toEqual({ '${KEY}': '$x' });
  });

  it('leaves a config a program built (the API) as written, but for its env values', () => {
    const config = resolveConfig({ version: 1, services: { api: { command: ['sh', '-c', 'echo $HOME ${X}'], env: { A: '${TIERDOWN_TEST_UNSET:-a}' } } } }, '<inline>', dir);
    expect(config.services[0]).toMatchObject({ command: ['sh', '-c', 'echo $HOME ${X}'], env: { A: 'a' } });
  });

  it('costs no stack however deep a file nests', () => {
    let deep: unknown = '${UNSET}';
    for (let level = 0; level < 100_000; level++) deep = { next: deep };
    const error = (() => {
      try {
        resolveConfig({ version: 1, services: { api: { command: ['node'], colour: deep } } }, '<inline>', dir, { everyValue: true });
      } catch (caught) {
        return caught as ConfigError;
      }
      return undefined;
    })();
    expect(error?.problems.map((problem) => problem.path)).toEqual(['services.api.colour']);
  });
});

describe('env_file', () => {
  it("feeds only its own service's env", async () => {
    write('a.env', 'ONLY_A=secret-of-a\n');
    write('tierdown.yaml', 'version: 1\nservices:\n  a: { command: [node, a.js], env_file: a.env, env: { MINE: "${ONLY_A}" } }\n  b: { command: [node, "${ONLY_A:-b}.js"], env: { THEIRS: "${ONLY_A}" } }\n');
    expect(await problemsOf()).toEqual(['services.b.env.THEIRS: variable ONLY_A is not set']);
    write('tierdown.yaml', 'version: 1\nservices:\n  a: { command: [node, a.js], env_file: a.env, env: { MINE: "${ONLY_A}" } }\n  b: { command: [node, "${ONLY_A:-b}.js"] }\n');
    const [a, b] = (await load()).services;
    expect(a.env).toEqual({ ONLY_A: 'secret-of-a', MINE: 'secret-of-a' });
    expect(b.command).toEqual(['node', 'b.js']);
  });
});

describe('problems', () => {
  it('an unset variable names itself and its path, once, with exit-2 code', async () => {
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, a.js], port: "${API_PORT}" }\n');
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TIERDOWN_CONFIG_INVALID' });
    expect((error as ConfigError).message).toBe('services.api.port: variable API_PORT is not set');
  });

  it('a value whose interpolation failed has no other problem: it would only repeat it', async () => {
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, a.js], env_file: "${ENV_NAME}.env", port: "${PORT}" }\n');
    expect(await problemsOf()).toEqual(['services.api.env_file: variable ENV_NAME is not set', 'services.api.port: variable PORT is not set']);
  });

  it('${VAR:?message} says the message', async () => {
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, "${SCRIPT:?name the script in .env}"] }\n');
    expect(await problemsOf()).toEqual(['services.api.command.1: variable SCRIPT is not set: name the script in .env']);
  });

  it('a value that does not fit is named as written, never as the variable held it', async () => {
    write('.env', 'TIER=hunter2-secret\nSIGNAL=also-secret\n');
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, a.js], tier: "${TIER}", signal: "x${SIGNAL}" }\n');
    const problems = await problemsOf();
    expect(problems).toEqual(['services.api.signal: unknown signal "x${SIGNAL}"', 'services.api.tier: unknown tier "${TIER}" (known: auto, critical, simple)']);
    expect(problems.join('\n')).not.toMatch(/secret/);
  });

  it('a file named through a variable is named as written too', async () => {
    write('.env', 'ENV_NAME=hunter2-secret\n');
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, a.js], env_file: "${ENV_NAME}.env", depends_on: ["${DB:-api}"] }\n');
    expect(await problemsOf()).toEqual([
      `services.api.env_file.0: no such file: ${path.join(dir, '${ENV_NAME}.env')}`,
      'services.api.depends_on.0: a service cannot depend on itself',
    ]);
  });

  it('a port that is not a number after interpolation is the port problem', async () => {
    write('tierdown.yaml', 'version: 1\nservices:\n  api: { command: [node, a.js], port: "${API_PORT}" }\n');
    expect(await problemsOf({ API_PORT: 'eighty' })).toEqual(['services.api.port: expected a whole number from 1 to 65535']);
  });
});

describe('did you mean', () => {
  it.each([
    ['comand: [node, a.js]', 'services.api.comand: unknown key (did you mean "command"?)'],
    ['depend_on: [db]', 'services.api.depend_on: unknown key (did you mean "depends_on"?)'],
    ['timeouts: { sigtrem: 5s }', 'services.api.timeouts.sigtrem: unknown key (did you mean "sigterm"?)'],
    ['restart: { policy: always, max_restart: 3 }', 'services.api.restart.max_restart: unknown key (did you mean "max_restarts"?)'],
    ['shutdown: { tokenfile: x }', 'services.api.shutdown.tokenfile: unknown key (did you mean "tokenFile"?)'],
    ['colour: red', 'services.api.colour: unknown key'],
  ])('%s', async (line, expected) => {
    write('tierdown.yaml', `version: 1\nservices:\n  db: { command: [node, db.js] }\n  api:\n    command: [node, a.js]\n    ${line}\n`);
    expect(await problemsOf()).toContain(expected);
  });

  it("a tier's step, and a top-level key", async () => {
    write('tierdown.yaml', 'version: 1\nservise: {}\ntiers:\n  drain: { step: [sigterm] }\nservices:\n  api: { command: [node, a.js] }\n');
    expect(await problemsOf()).toEqual(['servise: unknown key (did you mean "services"?)', 'tiers.drain.step: unknown key (did you mean "steps"?)']);
  });
});
