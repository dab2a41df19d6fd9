// `down` trusts no socket it did not have reason to: before it talks, the run
// folder must be this user's with mode 0700 and the socket this user's and
// writable by nobody else — else another local user could answer `down` with a
// forged report. Through the binary, against a planted socket that would forge one.
import { describe, expect, it } from '@jest/globals';
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { socketPath } from '../../../src/cli/control/paths.js';
import { configDir, runCli } from '../../helpers/cli.js';
import { ownProcesses } from '../../helpers/owned.js';

const owned = ownProcesses();
const NOBODY = 65534;

/** A planted "up" that answers any request with a forged, successful report; counts who talked to it. */
async function plant(file: string): Promise<{ server: Server; talkedTo: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    const forged = { outcome: 'stopped', startedAt: new Date().toISOString(), durationMs: 1, waves: [], services: [], earlier: [] };
    socket.end(`${JSON.stringify({ type: 'report', report: forged })}\n`);
  });
  await new Promise<void>((resolve) => server.listen(file, resolve));
  owned.onCleanup(() => server.close());
  return { server, talkedTo: () => connections };
}

async function setUp(folderMode: number) {
  const made = configDir('version: 1\nservices:\n  a: { command: [sleep, "1"] }\n');
  owned.onCleanup(made.cleanup);
  const env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
  const file = socketPath(made.file, env);
  mkdirSync(path.dirname(file), { recursive: true });
  chmodSync(path.dirname(file), folderMode);
  const planted = await plant(file);
  return { made, env, file, planted };
}

const down = (cwd: string, env: NodeJS.ProcessEnv) => runCli(['down'], { cwd, env });

describe('down and the control socket it finds', () => {
  it('refuses a run folder others can enter, without talking (exit 1)', async () => {
    const { made, env, planted } = await setUp(0o777);
    const result = await down(made.dir, env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refusing to talk to .*: the run folder .* is open to others \(mode 777, expected 700\)/);
    expect(planted.talkedTo()).toBe(0);
  });

  it('refuses a socket others may write to (exit 1)', async () => {
    const { made, env, file, planted } = await setUp(0o700);
    chmodSync(file, 0o666);
    const result = await down(made.dir, env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the socket is writable by others (mode 666)');
    expect(planted.talkedTo()).toBe(0);
  });

  it.each([['ps'], ['restart', 'a'], ['start', 'a'], ['stop', 'a']])('%s trusts no more than down: the same refusal, without talking', async (...command) => {
    const { made, env, planted } = await setUp(0o777);
    const result = await runCli(command, { cwd: made.dir, env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refusing to talk to .*: the run folder .* is open to others/);
    expect(planted.talkedTo()).toBe(0);
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it : it.skip)("refuses another user's socket, or another user's folder (exit 1)", async () => {
    const { made, env, file, planted } = await setUp(0o700);
    chmodSync(file, 0o600);
    chownSync(file, NOBODY, NOBODY);
    const socket = await down(made.dir, env);
    expect(socket.status).toBe(1);
    expect(socket.stderr).toContain(`the socket belongs to another user (uid ${NOBODY})`);
    chownSync(file, process.getuid!(), process.getgid!());
    chownSync(path.dirname(file), NOBODY, NOBODY);
    const folder = await down(made.dir, env);
    expect(folder.status).toBe(1);
    expect(folder.stderr).toContain(`belongs to another user (uid ${NOBODY})`);
    expect(planted.talkedTo()).toBe(0);
    expect(`${socket.stdout}${folder.stdout}`).not.toContain('stopped');
  });

  it('talks to a socket that is safely its own (the check is not a blanket refusal)', async () => {
    const { made, env, file, planted } = await setUp(0o700);
    chmodSync(file, 0o600);
    const result = await down(made.dir, env);
    expect(planted.talkedTo()).toBe(1);
    expect(result.status).toBe(0);
  });
});

describe('up and up -d and the control socket they find', () => {
  // A socket another user planted at this config's control path used to make `up -d` say
  // "another tierdown up is already running" (it connected to it to find out).
  (process.getuid?.() === 0 ? it : it.skip)("refuse another user's socket with the same message as down, without talking (exit 1), and start nothing", async () => {
    const { made, env, file, planted } = await setUp(0o700);
    chmodSync(file, 0o600);
    chownSync(file, NOBODY, NOBODY);
    for (const command of [['up', '-d'], ['up'], ['up', '-d', 'a'], ['up', 'a']]) {
      const result = await runCli(command, { cwd: made.dir, env });
      expect([command, result.status]).toEqual([command, 1]);
      expect(result.stderr).toContain(`refusing to talk to ${file}: the socket belongs to another user (uid ${NOBODY}); remove it if you did not make it`);
      expect(result.stderr).not.toContain('already running');
      expect(result.stdout).not.toContain('started pid');
    }
    expect(planted.talkedTo()).toBe(0);
  });
});
