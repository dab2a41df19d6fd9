// The live view in a real pseudo-terminal (util-linux `script`): while a stop
// runs, a row per service with a spinner and what it waits on, logs above,
// and at the end the plain summary table — for `up`, and for `down` following
// an `up` over the control socket.
import { beforeEach, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { configDir, runCli, startCli } from '../../helpers/cli.js';
import { inTerminal as inTerminalAt, visible } from '../../helpers/terminal.js';
import { fixtureConfig } from '../../helpers/stack.js';
import { waitUntil } from '../../helpers/wait.js';
import { ownProcesses } from '../../helpers/owned.js';

const owned = ownProcesses();

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
});

/** Runs `tierdown ARGS` on a 120×40 pseudo-terminal; resolves with everything it wrote. */
const inTerminal = (args: string[], cwd: string) => inTerminalAt(args, { cwd, env, onCleanup: owned.onCleanup });

// db ignores SIGTERM, so the stop spends a visible while waiting on it.
async function slowStack() {
  const config = await fixtureConfig(
    owned.ledger,
    { db: { env: { FIX_SIGTERM: 'ignore' }, timeouts: { sigterm: '700ms' } }, web: { depends_on: ['db'] } },
  );
  const made = configDir(JSON.stringify(config), 'tierdown.json');
  owned.onCleanup(made.cleanup);
  return made;
}

function expectLiveRowsThenSummary(raw: string) {
  expect(raw).toContain('\u001b['); // drawn in place, not printed line by line
  const text = visible(raw);
  expect(text).toMatch(/service\s+tier\s+state\s+method\s+time\s+waiting on/);
  expect(text).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\s+db\s+simple\s+sigterm\s+signal\s+\S+\s+exit of pid \d+/);
  const lines = text.trimEnd().split('\n');
  // Ended by SIGKILL, and said so.
  expect(lines.join('\n')).toMatch(/db\s+simple\s+1\s+killed \(SIGKILL\)\s+kill\s+\S+\s+idle → sigterm → forceKill → stopped/);
  expect(lines.at(-1)).toMatch(/^stopped in .*, 1 killed \(SIGKILL\)$/);
}

describe('live view', () => {
  it('draws a row per service while up stops, then the summary', async () => {
    const { dir } = await slowStack();
    const up = inTerminal(['up'], dir);
    await waitUntil(() => up.output().includes('services ready'), 15_000);
    const down = await runCli(['down'], { cwd: dir, env });
    expect(down.status).toBe(0);
    expect(await up.exited).toBe(0);
    expectLiveRowsThenSummary(up.output());
  });

  it('draws the same rows for down, from the status up sends it', async () => {
    const { dir } = await slowStack();
    const up = startCli(['up'], { cwd: dir, env });
    owned.onCleanup(up.kill);
    await up.waitFor('services ready');
    const down = inTerminal(['down'], dir);
    expect(await down.exited).toBe(0);
    expectLiveRowsThenSummary(down.output());
    expect((await up.exited).status).toBe(0);
  });

  it('prints plain lines instead when NO_COLOR is set', async () => {
    const { dir } = await slowStack();
    env.NO_COLOR = '1';
    const up = inTerminal(['up'], dir);
    await waitUntil(() => up.output().includes('services ready'), 15_000);
    expect((await runCli(['down'], { cwd: dir, env })).status).toBe(0);
    await up.exited;
    expect(up.output()).toMatch(/db: sigterm → forceKill \(sigtermTimeout\)/);
    expect(up.output()).not.toContain('waiting on');
  });
});
