// The command line as a user meets it (docs/cli.md): --version from package.json,
// help for every command, "did you mean" for typos, stray arguments refused,
// and config errors as exit 2 with one line per problem naming its path.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { configDir, runCli } from '../helpers/cli.js';

// Several CLI runs per test; on a loaded machine each takes seconds.
jest.setTimeout(120_000);

const made: { cleanup(): void }[] = [];
afterEach(() => made.splice(0).forEach((dir) => dir.cleanup()));

function config(text: string) {
  const dir = configDir(text);
  made.push(dir);
  return dir.file;
}

describe('help and version', () => {
  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect([result.status, result.stdout.trim()]).toEqual([0, version]);
  });

  it.each([[['help', 'logs']], [['logs', '--help']], [['logs', '-h']]])('%j shows that command\'s flags', async (args) => {
    const result = await runCli(args);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: tierdown logs [options] [SERVICE...]');
    expect(result.stdout).toContain('-f, --follow');
    expect(result.stdout).toContain('-n, --lines <N>');
  });

  it('lists every command in the general help, and shows it with exit 2 when no command is given', async () => {
    const help = await runCli(['help']);
    expect(help.status).toBe(0);
    for (const command of ['up', 'down', 'ps', 'logs', 'restart', 'validate', 'graph', 'schema', 'demo']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    const bare = await runCli([]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('Usage: tierdown <command>');
  });
});

describe('usage errors (exit 2)', () => {
  it('suggests the command meant', async () => {
    const result = await runCli(['vaildate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'vaildate'");
    expect(result.stderr).toContain('Did you mean validate?');
  });

  it('suggests the flag meant', async () => {
    const result = await runCli(['validate', '--confg', 'x.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown option '--confg'");
    expect(result.stderr).toContain('Did you mean --config?');
  });

  it('refuses stray arguments', async () => {
    const result = await runCli(['validate', 'tierdown.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("too many arguments for 'validate'");
  });
});

describe('config errors (exit 2, the path of each)', () => {
  it.each([
    ['a bare number', 'timeouts: { kill: 5 }', 'services.api.timeouts.kill: expected a duration with a unit like "5s"'],
    ['a duration past 24h', 'timeouts: { sigterm: 1000h }', 'services.api.timeouts.sigterm: too long: at most "24h"'],
    ['a missing variable', 'env: { URL: "${TIERDOWN_TEST_UNSET_VAR}" }', 'services.api.env.URL: variable TIERDOWN_TEST_UNSET_VAR is not set'],
    ['a missing env file', 'env_file: nope.env', 'services.api.env_file.0: no such file'],
  ])('%s', async (_what, line, expected) => {
    const file = config(`version: 1\nservices:\n  api:\n    command: [node, a.js]\n    ${line}\n`);
    for (const command of ['validate', 'up', 'ps']) {
      const result = await runCli([command, '-c', file]);
      expect([command, result.status]).toEqual([command, 2]);
      expect(result.stderr).toContain(expected);
    }
  });
});
