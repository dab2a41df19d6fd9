// `up -d` racing itself: three launched at once for one config. One background
// `up` wins the control socket; the others must neither write into nor truncate
// the winner's tierdown.log, and their launchers do what a later `up -d` does:
// ask the winner to start what is missing (nothing), and exit 0.
import { describe, expect, it, jest } from '@jest/globals';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readProc } from '../../src/actors/process/proc-table.js';
import { stateDir } from '../../src/cli/control/paths.js';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

jest.setTimeout(120_000);
const owned = ownProcesses();

const running = (pid: number) => {
  const entry = readProc(pid);
  return entry !== undefined && entry.state !== 'Z';
};

describe('up -d launched three times at once', () => {
  // Three, so that at least two usually pass the "already running?" check before either background `up` listens.
  it("one wins; the others join its stack and exit 0, and the winner's tierdown.log is its own, whole", async () => {
    const made = configDir(JSON.stringify(await fixtureConfig(owned.ledger, { db: {} })), 'tierdown.json');
    owned.onCleanup(made.cleanup);
    const env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
    const results = await Promise.all([0, 1, 2].map(() => runCli(['up', '-d'], { cwd: made.dir, env, timeoutMs: 60_000 })));
    for (const result of results) {
      const supervisor = Number(/supervised in the background \(pid (\d+)/.exec(result.stdout)?.[1]);
      if (supervisor) owned.onCleanup(() => running(supervisor) && process.kill(supervisor, 'SIGKILL'));
    }
    expect(results.map((result) => result.status)).toEqual([0, 0, 0]);
    const winners = results.filter((result) => result.stdout.includes('supervised in the background'));
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((result) => !winners.includes(result))) {
      expect(loser.stderr).toContain(`tierdown up -d: a stack already runs for ${made.file}`);
      expect(loser.stdout).toContain('nothing to start: every service already running');
    }

    const state = stateDir(made.file, env);
    const log = readFileSync(path.join(state, 'tierdown.log'), 'utf8');
    // The winner's own output from its first line on, nothing of the loser's.
    expect(log.split('\n')[0]).toMatch(/^db: starting|^db: started pid/);
    expect(log).toContain('all 1 services ready');
    expect(log).not.toContain('already run');
    // The losers' own logs went with them.
    expect(readdirSync(state).sort()).toEqual(['logs', 'tierdown.log']);

    const stopped = await runCli(['down'], { cwd: made.dir, env, timeoutMs: 30_000 });
    expect(stopped.status).toBe(0);
    await waitUntil(() => owned.ledger.survivors().length === 0, 10_000, 20);
  });
});

describe('up -d while a service is slow to be ready', () => {
  it('says what each service waits on as it happens, then the summary; its services\' own output stays in the logs', async () => {
    const readyFile = path.join(owned.ledger.dir, 'slow-ready');
    const made = configDir(JSON.stringify(await fixtureConfig(owned.ledger, { db: {}, slow: { depends_on: ['db'], env: { FIX_READY_WHEN: readyFile, FIX_TICK_MS: '20' } } })), 'tierdown.json');
    owned.onCleanup(made.cleanup);
    const env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
    owned.onCleanup(async () => void (await runCli(['down'], { cwd: made.dir, env, timeoutMs: 30_000 })));
    const launcher = startCli(['up', '-d'], { cwd: made.dir, env });
    owned.onCleanup(launcher.kill);
    // Before it is ready, the terminal already says what slow waits on (its /health answers 503).
    await launcher.waitFor('slow: waiting for http://127.0.0.1:', 30_000);
    await launcher.waitFor('(last answer: 503)', 30_000);
    expect(launcher.output()).toContain('db: ready');
    expect(launcher.output()).not.toContain('services ready');
    writeFileSync(readyFile, '');
    const result = await launcher.exited;
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('supervised in the background');
    expect(result.stdout).not.toMatch(/^\S+ \| /m);
    expect(result.stdout).not.toContain('Ctrl-C');
    expect((await runCli(['down'], { cwd: made.dir, env, timeoutMs: 30_000 })).status).toBe(0);
    await waitUntil(() => owned.ledger.survivors().length === 0, 10_000, 20);
  });
});
