// `tierdown completion bash|zsh|fish` (docs/cli.md): scripts each shell accepts, built
// from the one command table, and — run through bash's own completion machinery
// (COMP_WORDS, compgen) and fish's `complete -C` — offering commands, flags and the
// services of the config in the folder.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS, FLAGS } from '../../src/cli/commands.js';
import { BIN, configDir, runCli } from '../helpers/cli.js';

// Each completion runs the CLI (config --services); on a loaded machine each takes a second or two.
jest.setTimeout(120_000);

const made: { cleanup(): void }[] = [];
afterAll(() => made.splice(0).forEach((dir) => dir.cleanup()));

const has = (shell: string) => spawnSync(shell, ['--version'], { stdio: 'ignore' }).status === 0;
const HAS_ZSH = has('zsh');
const HAS_FISH = has('fish');

// Each script as printed, and saved to a file as a user would save it.
const scripts: Record<string, string> = {};
const files: Record<string, string> = {};
beforeAll(async () => {
  const saved = configDir('');
  made.push(saved);
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli(['completion', shell]);
    expect([result.status, result.stderr]).toEqual([0, '']);
    scripts[shell] = result.stdout;
    files[shell] = path.join(saved.dir, `tierdown.${shell}`);
    writeFileSync(files[shell], result.stdout);
  }
});

/** A folder with a config of three services, and `tierdown` on PATH (as a user has it). */
function folder() {
  const dir = configDir('version: 1\nservices:\n  db: { command: [node, db.js] }\n  api: { command: [node, api.js] }\n  web: { command: [node, web.js] }\n');
  made.push(dir);
  writeFileSync(path.join(dir.dir, 'other.yaml'), 'version: 1\nservices:\n  zeta: { command: [node, z.js] }\n');
  mkdirSync(path.join(dir.dir, 'bin'));
  symlinkSync(BIN, path.join(dir.dir, 'bin', 'tierdown'));
  return dir.dir;
}

function run(program: string, args: string[], cwd?: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const PATH = cwd ? `${cwd}/bin:${process.env.PATH}` : process.env.PATH;
  return new Promise((resolve) => {
    execFile(program, args, { cwd, timeout: 60_000, env: { ...process.env, PATH } }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** What bash offers for `line` (the word under the cursor is the last one, maybe empty), through _tierdown. */
async function bashOffers(line: string, cwd: string): Promise<string[]> {
  const words = line.split(' ');
  const program = `source '${files.bash}'; COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tierdown; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = await run('bash', ['-c', program], cwd);
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('the scripts', () => {
  it('bash -n accepts the bash script', async () => {
    expect(await run('bash', ['-n', files.bash])).toMatchObject({ status: 0, stderr: '' });
  });

  (HAS_ZSH ? it : it.skip)('zsh -n accepts the zsh script (skipped when zsh is not installed)', async () => {
    expect(await run('zsh', ['-n', files.zsh])).toMatchObject({ status: 0, stderr: '' });
  });

  (HAS_FISH ? it : it.skip)('fish -n accepts the fish script (skipped when fish is not installed)', async () => {
    expect(await run('fish', ['-n', files.fish])).toMatchObject({ status: 0, stderr: '' });
  });

  // How each script spells a flag it offers.
  const spelt: Record<string, (flag: string) => string> = { bash: (flag) => `--${flag}`, zsh: (flag) => `--${flag}`, fish: (flag) => `-l ${flag} ` };
  it.each(['bash', 'zsh', 'fish'])('the %s script knows every command and every flag of the command table', (shell) => {
    for (const command of COMMANDS) expect(scripts[shell]).toMatch(new RegExp(`\\b${command.name}\\b`));
    for (const flag of Object.keys(FLAGS)) expect(scripts[shell]).toContain(spelt[shell](flag));
  });

  it('refuses a shell it has no script for', async () => {
    const result = await runCli(['completion', 'powershell']);
    expect([result.status, result.stderr]).toEqual([2, expect.stringContaining('expected bash, zsh or fish, got "powershell"')]);
  });
});

describe('bash, through its completion machinery', () => {
  it('offers commands, then flags, then the services of the config in the folder', async () => {
    const cwd = folder();
    expect(await bashOffers('tierdown do', cwd)).toEqual(['down']);
    expect(await bashOffers('tierdown ', cwd)).toEqual(expect.arrayContaining(['up', 'down', 'exec', 'config', 'completion']));
    expect(await bashOffers('tierdown down ', cwd)).toEqual(['db', 'api', 'web']);
    expect(await bashOffers('tierdown down a', cwd)).toEqual(['api']);
    expect(await bashOffers('tierdown logs -f db ', cwd)).toEqual(['db', 'api', 'web']);
    expect(await bashOffers('tierdown down -c other.yaml ', cwd)).toEqual(['zeta']);
    expect(await bashOffers('tierdown up --o', cwd)).toEqual(['--order', '--on-failure']);
    expect(await bashOffers('tierdown graph --format ', cwd)).toEqual(['mermaid', 'json']);
    expect(await bashOffers('tierdown completion ', cwd)).toEqual(['bash', 'zsh', 'fish']);
  });

  it('offers a service, then a program, for exec', async () => {
    const cwd = folder();
    expect(await bashOffers('tierdown exec w', cwd)).toEqual(['web']);
    expect(await bashOffers('tierdown exec web -- bas', cwd)).toContain('bash');
    expect(await bashOffers('tierdown exec web bas', cwd)).toContain('bash');
  });
});

(HAS_FISH ? describe : describe.skip)('fish, through complete -C (skipped when fish is not installed)', () => {
  it('offers commands and the services of the config in the folder', async () => {
    const cwd = folder();
    const offers = async (line: string) => {
      const result = await run('fish', ['-c', `source '${files.fish}'; complete -C'${line}'`], cwd);
      return result.stdout.split('\n').filter(Boolean).map((entry) => entry.split('\t')[0]);
    };
    expect(await offers('tierdown do')).toEqual(['down']);
    expect((await offers('tierdown down ')).sort()).toEqual(['api', 'db', 'web']);
    expect(await offers('tierdown exec w')).toEqual(['web']);
  });
});
