// The health check actor (src/actors/healthcheck.ts) through the engine, with real
// processes: a command run with the service's env and cwd (exit 0 healthy), one that
// hangs past its timeout (failed, and killed), one that leaves a daemon behind (swept
// with its cgroup), and a TCP connect to the service's port.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator, type Orchestrator, type TierdownEvent } from '../../src/index.js';
import { ownProcesses } from '../helpers/owned.js';
import { freePort } from '../helpers/processes.js';
import { FAST, FIXTURE, nextEvent, TEST_TIMING } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';

const owned = ownProcesses();

async function startWith(service: Record<string, unknown>, env: Record<string, string> = {}): Promise<Orchestrator> {
  const port = await freePort();
  const config = resolveConfig(
    {
      version: 1,
      defaults: { timeouts: FAST },
      services: { svc: { command: [process.execPath, FIXTURE], port, env: { FIX_PID_FILE: owned.ledger.pidFile, PORT: String(port), ...env }, ...service } },
    },
    '<test>',
    owned.ledger.dir,
  );
  const stack = createOrchestrator(config, { timing: TEST_TIMING });
  // A test that failed midway still ends its stack (and its checks).
  owned.onCleanup(() => void stack.shutdown(undefined, { force: true }).catch(() => undefined));
  await stack.start();
  return stack;
}

const isEvent = (type: TierdownEvent['type']) => (event: TierdownEvent) => event.type === type;

describe('healthcheck command', () => {
  it("runs with the service's env and cwd: unhealthy while it exits 1, healthy again at exit 0", async () => {
    const cwd = path.join(owned.ledger.dir, 'svc');
    mkdirSync(cwd);
    // Relative to its cwd, named by its env: both must be the service's.
    const check = [process.execPath, '-e', 'process.exit(require("fs").existsSync(process.env.SICK_FILE) ? 1 : 0)'];
    const stack = await startWith({ cwd, healthcheck: { command: check, interval: '20ms', retries: 1 } }, { SICK_FILE: 'sick' });
    const sick = nextEvent(stack, isEvent('unhealthy'));
    writeFileSync(path.join(cwd, 'sick'), '');
    expect(await sick).toMatchObject({ service: 'svc', failures: 1 });
    expect(stack.status()[0]).toMatchObject({ state: 'unhealthy', note: expect.stringContaining('exited 1') });
    const well = nextEvent(stack, isEvent('healthy'));
    rmSync(path.join(cwd, 'sick'));
    await well;
    expect(stack.status()[0].state).toBe('running');
    expect((await stack.shutdown()).outcome).toBe('stopped');
  });

  it('fails a check that runs past its timeout, and kills it', async () => {
    // Each check records its pid in the ledger, so a check left running is a survivor.
    const hang = [process.execPath, '-e', 'require("fs").appendFileSync(process.env.FIX_PID_FILE, process.pid + "\\n"); setInterval(() => {}, 1000)'];
    const stack = await startWith({ healthcheck: { command: hang, interval: '20ms', timeout: '100ms', retries: 2 } });
    const unhealthy = await nextEvent(stack, isEvent('unhealthy'));
    expect(unhealthy).toMatchObject({ failures: 2, detail: 'no answer within 100 ms' });
    await stack.shutdown();
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('sweeps what a check leaves behind: a daemon it forked out of its group, clear of the marker, dies as the check ends', async () => {
    // The first check forks the daemon, waits until it has written its pid (the next checks find
    // that file and fork nothing), and exits 0.
    const forked = path.join(owned.ledger.dir, 'daemon');
    const daemon = `setsid -f env -i FIX_PID_FILE=${owned.ledger.pidFile} /bin/sh -c 'echo $$ >> "$FIX_PID_FILE"; echo $$ > ${forked}; exec sleep 600'`;
    const stack = await startWith({ healthcheck: { command: ['/bin/sh', '-c', `[ -e ${forked} ] || { ${daemon}; while [ ! -s ${forked} ]; do sleep 0.01; done; }; exit 0`], interval: '20ms' } });
    // The service's own pid is in the ledger too: wait for the daemon's beside it.
    const { pid } = stack.status()[0];
    await waitUntil(() => owned.ledger.pids().some((other) => other !== pid));
    // Only to catch a hang: the check has ended, and its cgroup is swept then.
    await waitUntil(() => owned.ledger.survivors().every((other) => other === pid), 10_000);
    expect((await stack.shutdown()).outcome).toBe('stopped');
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

describe('healthcheck tcp', () => {
  it('passes while the service listens on its port, fails where nothing does', async () => {
    const listening = await startWith({ ready: { tcp: true }, healthcheck: { tcp: true, interval: '20ms', retries: 1 } });
    const silent = await startWith({ healthcheck: { tcp: true, interval: '20ms', retries: 2 } }, { FIX_HTTP: 'none' });
    const unhealthy = await nextEvent(silent, isEvent('unhealthy'));
    expect(unhealthy).toMatchObject({ failures: 2, detail: expect.stringMatching(/^port \d+ accepts no connection$/) });
    // The listening one has been checked all along, and passed.
    expect(listening.status()[0]).toMatchObject({ state: 'ready', note: null });
    await Promise.all([listening.shutdown(), silent.shutdown()]);
  });
});
