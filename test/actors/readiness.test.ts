// Readiness (SPEC §4 `ready`) against real processes: a TCP port that opens, a
// health URL that answers, and the two ways a start fails — too slow, or dead.
import { describe, expect, it } from '@jest/globals';
import { resolveConfig } from '../../src/config/index.js';
import { createOrchestrator, StartError } from '../../src/index.js';
import { freePort } from '../helpers/processes.js';
import { FAST, FIXTURE, nextEvent, TEST_TIMING } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

async function startWith(ready: Record<string, unknown>, env: Record<string, string> = {}) {
  const port = await freePort();
  const config = resolveConfig(
    {
      version: 1,
      defaults: { timeouts: FAST },
      services: {
        svc: { command: [process.execPath, FIXTURE], port, ready, env: { FIX_PID_FILE: owned.ledger.pidFile, PORT: String(port), ...env } },
      },
    },
    '<test>',
    owned.ledger.dir,
  );
  const stack = createOrchestrator(config, { timing: TEST_TIMING });
  return { stack, started: stack.start() };
}

describe('readiness', () => {
  it('waits for the port to accept connections with ready.tcp', async () => {
    const { stack, started } = await startWith({ tcp: true });
    await started;
    expect(stack.status()[0].state).toBe('ready');
    expect((await stack.shutdown()).outcome).toBe('stopped');
  });

  it('fails the start when the service is not ready in time, and stops it', async () => {
    const { stack, started } = await startWith({ tcp: true, timeout: '300ms' }, { FIX_HTTP: 'none' });
    await expect(started).rejects.toThrow(/not ready after 300 ms \(waited for port \d+ to accept connections\)/);
    const report = await stack.shutdown();
    expect(report.services[0].outcome).toBe('stopped');
    expect(owned.ledger.survivors()).toEqual([]);
  });

  it('fails the start at once when the service dies before it is ready', async () => {
    const { stack, started } = await startWith({ http: '/health', timeout: '30s' }, { FIX_HTTP: 'none', FIX_EXIT_AFTER_MS: '10' });
    const error = await started.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StartError);
    expect((error as StartError).message).toMatch(/exited \(code 0\) before it was ready/);
    expect((await stack.shutdown()).services[0].method).toBe('self');
  });

  it('tells a start ended by a stop from a failed one: interrupted, for the first start and a later one', async () => {
    const [first, late] = [await freePort(), await freePort()];
    const service = (port: number, env: Record<string, string> = {}) => ({
      command: [process.execPath, FIXTURE],
      port,
      ready: { tcp: true, timeout: '30s' },
      env: { FIX_PID_FILE: owned.ledger.pidFile, PORT: String(port), ...env },
    });
    // `late` never listens: only a stop ends its start.
    const config = resolveConfig({ version: 1, defaults: { timeouts: FAST }, services: { first: service(first), late: service(late, { FIX_HTTP: 'none' }) } }, '<test>', owned.ledger.dir);
    const stack = createOrchestrator(config, { timing: TEST_TIMING });
    await stack.start(['first']);
    const starting = stack.start(['late']).catch((caught: unknown) => caught);
    await nextEvent(stack, (event) => event.type === 'spawned' && event.service === 'late');
    const report = await stack.shutdown();
    const error = await starting;
    expect(error).toBeInstanceOf(StartError);
    expect(error).toMatchObject({ interrupted: true, message: expect.stringMatching(/before every service was ready/) });
    expect(report.services.map((entry) => entry.outcome)).toEqual(['stopped', 'stopped']);
    expect(owned.ledger.survivors()).toEqual([]);

    // The first start, ended by a stop before `late` is ready, says the same.
    const again = createOrchestrator(config, { timing: TEST_TIMING });
    const whole = again.start().catch((caught: unknown) => caught);
    await nextEvent(again, (event) => event.type === 'spawned' && event.service === 'late');
    await again.shutdown();
    expect(await whole).toMatchObject({ interrupted: true });
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
