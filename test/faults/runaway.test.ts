// Bounded whatever a service does (docs/security.md#log-caps): a background
// tierdown's own log under a service printing as fast as it can, and a crash
// loop configured with no pause between restarts. Real processes throughout.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvVar } from '../../src/actors/process/proc-table.js';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator } from '../../src/index.js';
import { configDir, runCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { fixtureConfig, TEST_TIMING } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const owned = ownProcesses();
const HOSTILE = fileURLToPath(new URL('../fixtures/hostile-service.mjs', import.meta.url));
const MiB = 1024 * 1024;
const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);

describe("the background tierdown's own log", () => {
  it('is capped at 10 MiB and rotated once while a service prints as fast as it can', async () => {
    const made = configDir(
      JSON.stringify({
        version: 1,
        services: { printer: { command: [process.execPath, HOSTILE], env: { FIX_PID_FILE: owned.ledger.pidFile, HOSTILE_CHATTY: '1' }, timeouts: { sigterm: '1s', kill: '1s' } } },
      }),
      'tierdown.json',
    );
    owned.onCleanup(made.cleanup);
    const env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
    const cli = (args: string[]) => runCli(args, { cwd: made.dir, env, timeoutMs: 60_000 });
    const started = await cli(['up', '-d']);
    expect(started.status).toBe(0);
    const supervisor = Number(/supervised in the background \(pid (\d+)/.exec(started.stdout)?.[1]);
    owned.onCleanup(() => {
      if (readEnvVar(supervisor, 'XDG_RUNTIME_DIR') === env.XDG_RUNTIME_DIR) process.kill(supervisor, 'SIGKILL');
    });
    const log = /, log ([^)]+)\)/.exec(started.stdout)?.[1] as string;
    // Rotated once, and the new file has grown again past the first mebibyte: 20+ MiB went through.
    await waitUntil(() => size(`${log}.1`) > 0 && size(log) > MiB, 60_000, 20);
    for (const file of [log, `${log}.1`]) expect(size(file)).toBeLessThanOrEqual(10 * MiB);
    expect(readFileSync(log, 'utf8')).toContain('printer | chatter');
    // Where the log goes is the engine's business, not the service's.
    const [printer] = owned.ledger.pids();
    expect(readEnvVar(printer, 'TIERDOWN_DETACHED_LOG')).toBeUndefined();
    expect((await cli(['down'])).status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  }, 90_000);
});

describe('restart backoff', () => {
  it('a backoff of 0ms is raised to 100ms and doubles from there: a crash loop slows down', async () => {
    const file = await fixtureConfig(owned.ledger, {
      looper: { http: false, env: { FIX_EXIT_AFTER_MS: '0', FIX_EXIT_CODE: '1' }, restart: { policy: 'on-failure', max_restarts: 4, backoff: '0ms' } },
    });
    const config = resolveConfig(file, '<test>', owned.ledger.dir);
    expect(config.services[0].restart).toMatchObject({ backoffMs: 100 });
    const stack = createOrchestrator(config, { timing: TEST_TIMING });
    const waits: number[] = [];
    stack.subscribe((event) => {
      if (event.type === 'restartScheduled') waits.push(event.backoffMs);
    });
    await stack.start().catch(() => undefined);
    const report = await stack.whenFinished();
    expect(waits).toEqual([100, 200, 400, 800]);
    expect(report.services[0]).toMatchObject({ outcome: 'crashed' });
    expect(owned.ledger.survivors()).toEqual([]);
  }, 30_000);
});
