// tierdown as a container's PID 1 (docs/containers.md), in a real PID namespace
// (`unshare --pid --fork --mount-proc`, util-linux, root): orphans are reaped,
// SIGTERM runs the tiered stop, the exit status is the stop's, nothing outlives it.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, configDir } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { waitUntil } from '../helpers/wait.js';
import { spawn } from 'node:child_process';

const owned = ownProcesses();

function canUnshare(): string | undefined {
  try {
    execFileSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' });
    return undefined;
  } catch (error) {
    return `cannot make a PID namespace here (${(error as Error).message.split('\n')[0]})`;
  }
}
const skipReason = process.env.CI === 'true' ? undefined : canUnshare();
if (skipReason) console.log(`skipping PID 1 tests: ${skipReason}`);
const maybe = skipReason ? it.skip : it;
// Reaping needs the addon, which `npm ci` builds only where a C compiler is (docs/containers.md).
const ADDON = fileURLToPath(new URL('../../build/Release/tierdown_reap.node', import.meta.url));
const noAddon = existsSync(ADDON) ? undefined : `the reaper addon is not built (${ADDON}): no C compiler at npm ci`;
if (noAddon && !skipReason) console.log(`skipping the reaping test: ${noAddon}`);
const maybeReaping = skipReason || noAddon ? it.skip : it;

function stat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Host pids of every descendant of `root` (the namespace's processes, seen from outside). */
function descendants(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const info = stat(Number(entry));
    if (info) byParent.set(info.ppid, [...(byParent.get(info.ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const walk = (pid: number) => (byParent.get(pid) ?? []).forEach((child) => (found.push(child), walk(child)));
  walk(root);
  return found;
}

function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

// The short sleeps of ORPHANS once their subshell has exited: re-parented to `init`.
const orphansOf = (init: number) => descendants(init).filter((pid) => stat(pid)?.ppid === init && commandOf(pid) === 'sleep');
const zombiesOf = (parent: number) => descendants(parent).filter((pid) => stat(pid)?.state === 'Z' && stat(pid)?.ppid === parent);
const gone = (pid: number) => stat(pid) === undefined || stat(pid)?.state === 'Z';

// Five orphans a second: each subshell forks a short sleep and exits, so the
// sleep is re-parented to PID 1 and, once it ends, is a zombie until reaped.
const ORPHANS = `while true; do for i in 1 2 3 4 5; do (sleep 0.05 &); done; sleep 1; done`;

function startInNamespace(yaml: string, extraArgs: string[], env: NodeJS.ProcessEnv = {}) {
  const made = configDir(yaml);
  owned.onCleanup(made.cleanup);
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', BIN, 'up', '-c', made.file, '--report', 'report.json', ...extraArgs], {
    cwd: made.dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  // The namespace's PID 1, as the host sees it: unshare's only child. Killing it ends the namespace.
  const init = () => descendants(child.pid as number)[0];
  owned.onCleanup(() => {
    const pid = init();
    if (pid) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  });
  return { dir: made.dir, child, exited, init, output: () => stdout };
}

describe('tierdown up as PID 1', () => {
  maybeReaping('reaps every orphan, runs the tiered stop on SIGTERM, exits with its status, leaves nothing', async () => {
    const run = startInNamespace(`version: 1\nservices:\n  orphans:\n    command: [sh, -c, ${JSON.stringify(ORPHANS)}]\n    timeouts: { sigterm: 2s, kill: 1s }\n`, []);
    await waitUntil(() => run.output().includes('services ready'), 30_000, 50);
    const init = run.init();
    expect(init).toBeDefined();
    // Watch orphans come to PID 1 and go: each one seen must be reaped, not left a zombie.
    const orphans = new Set<number>();
    await waitUntil(() => {
      for (const pid of orphansOf(init)) orphans.add(pid);
      return orphans.size >= 10;
    }, 30_000, 5);
    await waitUntil(() => [...orphans].every((pid) => stat(pid) === undefined), 10_000, 20);
    const namespace = descendants(init);
    expect(namespace.length).toBeGreaterThan(1);
    process.kill(init, 'SIGTERM');
    expect(await run.exited).toBe(0);
    const report = JSON.parse(readFileSync(path.join(run.dir, 'report.json'), 'utf8'));
    expect(report.outcome).toBe('stopped');
    expect(report.services[0]).toMatchObject({ name: 'orphans', method: 'signal', outcome: 'stopped' });
    expect(run.output()).toContain('SIGTERM: shutting down tiered');
    expect([init, ...namespace].filter((pid) => !gone(pid))).toEqual([]);
  }, 60_000);

  maybe('without the init (TIERDOWN_INIT_CHILD set), the same orphans are left zombies — the check above can fail', async () => {
    const run = startInNamespace(`version: 1\nservices:\n  orphans:\n    command: [sh, -c, ${JSON.stringify(ORPHANS)}]\n`, [], { TIERDOWN_INIT_CHILD: '1' });
    await waitUntil(() => run.output().includes('services ready'), 30_000, 50);
    const pid1 = run.init();
    await waitUntil(() => zombiesOf(pid1).length > 0, 10_000, 50);
    process.kill(pid1, 'SIGTERM');
    await run.exited;
  }, 60_000);

  maybe('without the reaper addon, says so and falls back: signals forwarded, the stop and its status as ever, orphans left', async () => {
    // The addon looked for where TIERDOWN_REAPER_ADDON says, as a build without a C compiler leaves it: absent.
    const missing = '/nonexistent/tierdown_reap.node';
    const run = startInNamespace(`version: 1\nservices:\n  orphans:\n    command: [sh, -c, ${JSON.stringify(ORPHANS)}]\n`, [], { TIERDOWN_REAPER_ADDON: missing });
    await waitUntil(() => run.output().includes('services ready'), 30_000, 50);
    expect(run.output()).toContain(`tierdown (PID 1): the reaper addon is not built (${missing})`);
    expect(run.output()).toContain('Going on without it: signals are forwarded and the stop runs as ever, but orphans re-parented to PID 1 stay zombies');
    const init = run.init();
    // It really does not reap: the orphans' zombies stay.
    await waitUntil(() => zombiesOf(init).length > 0, 10_000, 50);
    process.kill(init, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(JSON.parse(readFileSync(path.join(run.dir, 'report.json'), 'utf8')).outcome).toBe('stopped');
    expect(run.output()).toContain('SIGTERM: shutting down tiered');
  }, 60_000);

  maybe('--grace 2s with a service that needs 5 s: the report is written inside the grace, everything gone', async () => {
    const yaml = `version: 1\nservices:\n  slow:\n    command: [sh, -c, "trap '' TERM; while true; do sleep 0.1; done"]\n    timeouts: { sigterm: 5s, kill: 2s }\n`;
    const run = startInNamespace(yaml, ['--grace', '2s']);
    await waitUntil(() => run.output().includes('services ready'), 30_000, 50);
    expect(run.output()).toMatch(/grace 2s: worst case 7s does not fit — budgets shrunk wave by wave/);
    const init = run.init();
    const namespace = descendants(init);
    const sentAt = Date.now();
    process.kill(init, 'SIGTERM');
    const status = await run.exited;
    // Generous bound on the wall clock (a loaded machine); the report's own clock is the promise.
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(run.dir, 'report.json'), 'utf8'));
    expect(report.durationMs).toBeLessThan(2000);
    expect(report.services[0]).toMatchObject({ name: 'slow', method: 'kill', outcome: 'stopped' });
    expect([init, ...namespace].filter((pid) => !gone(pid))).toEqual([]);
    expect(existsSync(path.join(run.dir, 'report.json'))).toBe(true);
  }, 60_000);
});
