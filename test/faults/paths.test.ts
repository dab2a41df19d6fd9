// Hostile paths and files through the real binary (docs/security.md): service
// names that are paths, --report targets that are devices, links or folders,
// config-named files that are FIFOs or huge, durations past Node's timers.
// Every link, FIFO, device node and cgroup is made by the test in a folder or
// cgroup of its own, and removed with it.
import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cgroupSupport } from '../../src/actors/process/cgroup.js';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

jest.setTimeout(60_000);
const owned = ownProcesses();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const isRoot = process.getuid?.() === 0;

/** A folder with a config of one fixture service (its pid goes to the test's ledger if it ever starts). */
async function stackFolder(name = 'api') {
  const config = await fixtureConfig(owned.ledger, { [name]: { http: false } });
  const made = configDir(JSON.stringify(config), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  return { ...made, config, env: { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') } };
}

const yamlWith = (name: string) => `version: 1\nservices:\n  ${JSON.stringify(name)}: { command: [sleep, "30"] }\n`;

describe('service names that are paths', () => {
  it.each(['..', '.', 'a/b'])('validate and up refuse %j at load, naming it (exit 2), and start nothing', async (name) => {
    const made = configDir(yamlWith(name));
    owned.onCleanup(made.cleanup);
    const env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
    for (const command of [['validate'], ['up'], ['up', '-d']]) {
      const result = await runCli(command, { cwd: made.dir, env });
      expect([command, result.status]).toEqual([command, 2]);
      expect(result.stderr).toContain(`services[${JSON.stringify(name)}]: invalid name ${JSON.stringify(name)}`);
      expect(result.stdout).not.toContain('started pid');
    }
  });

  // A name that skipped the config's check (a config built by a program) must still never address
  // the engine's own cgroup (`..`: cgroup.kill there kills tierdown itself) or the run's (`.`).
  // Destructive if it fails, so the engine runs in a throw-away cgroup this test made.
  const support = cgroupSupport();
  (support.available ? it.each(['..', '.']) : it.skip.each(['..', '.']))(
    'the engine refuses a service named %j that reached it from code: its cgroup would not be its own',
    async (name) => {
      if (!support.available) return;
      const cgroup = path.join(support.base, `tierdown-test-${randomBytes(4).toString('hex')}`);
      mkdirSync(cgroup);
      owned.onCleanup(() => removeCgroupTree(cgroup));
      const { file } = await stackFolder();
      // Joins the throw-away cgroup, then runs the engine there: its own cgroup is `cgroup`.
      const child = spawn(
        'sh',
        ['-c', 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"', 'sh', cgroup, process.execPath, 'test/fixtures/renamed-engine.mjs', file, name],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // 'close', not 'exit': at 'exit' the last lines may still be in the pipe.
      const ended = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
      expect({ ended, stderr }).toEqual({ ended: { code: 0, signal: null }, stderr: '' });
      const [start, outcome] = stdout.trim().split('\n').map((text) => JSON.parse(text) as Record<string, string>);
      expect(start.start).toContain(`cannot create the cgroup of ${JSON.stringify(name)}: ${JSON.stringify(name)} would lead outside ${path.join(cgroup, 'tierdown-')}`);
      // The engine lived to finish the run (cgroup.kill of its own cgroup would have killed it).
      expect(outcome).toHaveProperty('outcome');
      // Nothing of the service ever ran; the throw-away cgroup empties (the engine's watchdog follows it out).
      expect(owned.ledger.pids()).toEqual([]);
      await waitUntil(() => readFileSync(path.join(cgroup, 'cgroup.procs'), 'utf8') === '', 10_000, 20);
    },
  );
});

/** Kills every member of a cgroup this test made and removes it with its children. */
function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  writeFileSync(path.join(dir, 'cgroup.kill'), '1');
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeCgroupTree(path.join(dir, entry.name));
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch {
      // Members are still being reaped.
      execFileSync('sleep', ['0.01']);
    }
  }
}

describe('--report is checked before anything starts', () => {
  it.each([
    ['/dev/full', '/dev/full is a character device; only a regular file (or nothing) is replaced'],
    ['/proc/version', 'cannot create a file in the folder /proc'],
    ['sub', 'is a folder; only a regular file (or nothing) is replaced'],
    ['link.json', 'is a symbolic link; only a regular file (or nothing) is replaced'],
    ['missing/r.json', 'the folder'],
  ])('up --report %s exits 2 with a message and starts nothing', async (target, message) => {
    const { dir, env } = await stackFolder();
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'elsewhere'), 'theirs');
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'link.json'));
    const result = await runCli(['up', '--report', target], { cwd: dir, env });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`tierdown: --report ${target}: `);
    expect(result.stderr).toContain(message);
    expect(result.stdout).not.toContain('started pid');
    expect(owned.ledger.pids()).toEqual([]);
    expect(readFileSync(path.join(dir, 'elsewhere'), 'utf8')).toBe('theirs');
    expect(readdirSync(dir).sort()).toEqual(['elsewhere', 'link.json', 'sub', 'tierdown.json']);
  });

  (isRoot ? it : it.skip)('a device node made with mknod is refused by up, up -d and down, and stays a device (root only)', async () => {
    const { dir, env } = await stackFolder();
    execFileSync('mknod', [path.join(dir, 'full'), 'c', '1', '7']); // the same device as /dev/full, in the test's folder
    for (const command of [['up'], ['up', '-d'], ['down']]) {
      const result = await runCli([...command, '--report', 'full'], { cwd: dir, env });
      expect([command, result.status]).toEqual([command, 2]);
      expect(result.stderr).toContain(`--report full: ${path.join(dir, 'full')} is a character device`);
    }
    expect(lstatSync(path.join(dir, 'full')).isCharacterDevice()).toBe(true);
    expect(owned.ledger.pids()).toEqual([]);
  });

  it('the report is never written through a symlink planted at the temporary name the last tierdown used', async () => {
    const { dir, env } = await stackFolder();
    const secret = path.join(dir, 'root-only');
    writeFileSync(secret, 'precious', { mode: 0o600 });
    const up = startCli(['up', '--report', 'r.json'], { cwd: dir, env });
    owned.onCleanup(up.kill);
    await up.waitFor('services ready');
    // Where tierdown wrote its report before: `<target>.<pid>.tmp`, a name anyone could predict.
    symlinkSync(secret, path.join(dir, `r.json.${up.child.pid}.tmp`));
    up.child.kill('SIGINT');
    expect((await up.exited).status).toBe(0);
    expect(readFileSync(secret, 'utf8')).toBe('precious');
    expect(lstatSync(path.join(dir, 'r.json')).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'))).toMatchObject({ outcome: 'stopped' });
    expect(readdirSync(dir).filter((entry) => entry.endsWith('.tmp') && !entry.startsWith('r.json.'))).toEqual([]);
  });
});

describe('files the config names are regular and bounded', () => {
  const envFileConfig = 'version: 1\nservices:\n  api: { command: [sleep, "30"], env_file: [api.env] }\n';

  it('validate refuses an env_file that is a FIFO at once (it blocked for ever)', async () => {
    const made = configDir(envFileConfig);
    owned.onCleanup(made.cleanup);
    execFileSync('mkfifo', [path.join(made.dir, 'api.env')]);
    const result = await runCli(['validate'], { cwd: made.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`services.api.env_file.0: ${path.join(made.dir, 'api.env')} is a FIFO, not a regular file`);
  });

  it('validate refuses /dev/zero and an env_file over 1 MiB (it read 2.4 GB)', async () => {
    const made = configDir(envFileConfig.replace('[api.env]', '[api.env, /dev/zero]'));
    owned.onCleanup(made.cleanup);
    writeFileSync(path.join(made.dir, 'api.env'), '');
    truncateSync(path.join(made.dir, 'api.env'), 1024 * 1024 + 1);
    const result = await runCli(['validate'], { cwd: made.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`services.api.env_file.0: ${path.join(made.dir, 'api.env')} is larger than 1 MiB`);
    expect(result.stderr).toContain('services.api.env_file.1: /dev/zero is a character device, not a regular file');
  });
});

describe('durations from flags and the environment have the 24h bound', () => {
  it.each([
    [['--grace', '1000h'], {}, '--grace: too long: at most "24h" (got "1000h")'],
    [[], { TIERDOWN_GRACE: '600h' }, 'TIERDOWN_GRACE: too long: at most "24h" (got "600h")'],
  ])('%j %j: validate and up exit 2 before anything starts, no timer overflows', async (flags, variables, message) => {
    const { dir, env } = await stackFolder();
    for (const command of ['validate', 'up']) {
      const result = await runCli([command, ...flags], { cwd: dir, env: { ...env, ...variables } });
      expect([command, result.status]).toEqual([command, 2]);
      expect(result.stderr).toContain(`tierdown: ${message}`);
      expect(result.stderr).not.toContain('TimeoutOverflowWarning');
      expect(result.stdout).not.toContain('started pid');
    }
    expect(owned.ledger.pids()).toEqual([]);
  });

  it('24h itself is accepted', async () => {
    const { dir, env } = await stackFolder();
    const result = await runCli(['validate', '--grace', '24h'], { cwd: dir, env });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('fits the grace: grace 86400s');
  });
});
