// The start shows what each service waits on (docs/cli.md#what-you-see), through
// the binary with real services: a service whose /health answers 503 until the
// test creates a file is shown waiting for its readiness URL, with the last
// answer, before it is ready — a line per change in a pipe, a live row on a
// terminal (util-linux `script`).
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configDir, runCli, startCli } from '../../helpers/cli.js';
import { inTerminal, visible } from '../../helpers/terminal.js';
import { ownProcesses } from '../../helpers/owned.js';
import { fixtureConfig } from '../../helpers/stack.js';
import { waitUntil } from '../../helpers/wait.js';

jest.setTimeout(60_000);

const owned = ownProcesses();

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
});

// `slow` is ready once the file `readyFile` exists; it needs `db` first.
async function slowStack() {
  const readyFile = path.join(owned.ledger.dir, 'slow-may-be-ready');
  const config = await fixtureConfig(owned.ledger, { db: {}, slow: { env: { FIX_READY_WHEN: readyFile }, depends_on: ['db'] } });
  const made = configDir(JSON.stringify(config), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  const port = (config.services.slow as { port?: number }).port;
  return { ...made, readyFile, url: `http://127.0.0.1:${port}/health` };
}

describe('the start, in plain lines', () => {
  it('says what each service waits on, a line per change, before it is ready', async () => {
    const { dir, readyFile, url } = await slowStack();
    const up = startCli(['up'], { cwd: dir, env });
    owned.onCleanup(up.kill);
    const waiting = `slow: waiting for ${url} to answer 2xx (last answer: 503)`;
    await up.waitFor(waiting);
    expect(up.output()).not.toContain('slow: ready');
    writeFileSync(readyFile, '');
    await up.waitFor('services ready');
    const lines = up.output().split('\n');
    const at = (text: string) => lines.findIndex((line) => line === text);
    // Its dependency first, then its readiness, then ready: each once, in that order.
    expect(at('slow: waiting for dependencies: db')).toBeGreaterThanOrEqual(0);
    expect(at('slow: waiting for dependencies: db')).toBeLessThan(at('db: ready'));
    expect(at('db: ready')).toBeLessThan(at(waiting));
    expect(at(waiting)).toBeLessThan(at('slow: ready'));
    expect(lines.filter((line) => line === waiting)).toHaveLength(1);
    expect((await runCli(['down'], { cwd: dir, env })).status).toBe(0);
    expect((await up.exited).status).toBe(0);
  });
});

describe('the start, on a terminal', () => {
  it('draws a live row per service: its state and what it waits on', async () => {
    const { dir, readyFile, url } = await slowStack();
    const up = inTerminal(['up'], { cwd: dir, env, cols: 160, onCleanup: owned.onCleanup });
    const raw = () => up.output();
    const row = new RegExp(`[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\\s+slow\\s+simple\\s+starting\\s+\\S+\\s+${url.replace(/[.]/g, '\\.')} to answer 2xx \\(last answer: 503\\)`);
    await waitUntil(() => row.test(visible(raw())), 20_000);
    const text = visible(raw());
    expect(text).toMatch(/service\s+tier\s+state\s+time\s+waiting on/);
    expect(text).toMatch(/✔\s+db\s+simple\s+ready\s/);
    expect(text).not.toContain('services ready');
    writeFileSync(readyFile, '');
    await waitUntil(() => visible(raw()).includes('services ready'), 20_000);
    expect((await runCli(['down'], { cwd: dir, env })).status).toBe(0);
    expect(await up.exited).toBe(0);
  });
});
