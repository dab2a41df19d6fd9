// Every row of SPEC §2's table, end to end: real fixture processes, real HTTP on
// 127.0.0.1, real signals. Each case asserts the report's path and method, and
// that nothing the test started survives.
import { describe, expect, it } from '@jest/globals';
import type { ServiceReport } from '../../src/index.js';
import { endService, EXIT_RUNS_OUT, HTTP_RUNS_OUT, nextEvent, SIGTERM_RUNS_OUT, startStack, type FixtureService } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

async function stopOne(spec: FixtureService): Promise<ServiceReport> {
  const stack = await startStack(owned.ledger, { svc: spec });
  const report = await stack.shutdown();
  expect(owned.ledger.survivors()).toEqual([]);
  expect(report.services).toHaveLength(1);
  return report.services[0];
}

const critical = (http: string, env: Record<string, string> = {}): FixtureService => ({
  tier: 'critical',
  http: true,
  env: { FIX_HTTP: http, ...env },
});

describe('critical tier', () => {
  it('stops over HTTP when the service accepts and exits', async () => {
    const service = await stopOne(critical('good'));
    expect(service.path).toEqual(['idle', 'httpShutdown', 'awaitingExit', 'stopped']);
    expect(service.method).toBe('http');
    expect(service.exitCode).toBe(0);
    expect(service.verified).toBe(true);
    expect(service.transitions.map((t) => t.reason)).toEqual(['SHUTDOWN', 'HTTP_ACCEPTED', 'PROCESS_EXITED']);
  });

  it.each(['404', '405', '501'])('falls back to SIGTERM at once on %s', async (status) => {
    const service = await stopOne(critical(status));
    expect(service.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(service.method).toBe('signal');
    expect(service.transitions[1].reason).toBe('HTTP_MISSING');
    expect(service.signal).toBe('SIGTERM');
  });

  it.each([
    ['500', 'HTTP_REJECTED'],
    ['401', 'HTTP_UNAUTHORIZED'],
    ['reset', 'HTTP_UNREACHABLE'],
    ['hang', 'httpTimeout'],
  ])('falls back to SIGTERM when the shutdown request ends %s', async (mode, reason) => {
    const service = await stopOne({ ...critical(mode), ...(mode === 'hang' ? { timeouts: HTTP_RUNS_OUT } : {}) });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(service.transitions[1].reason).toBe(reason);
  });

  it('falls back to SIGTERM when nothing listens on the shutdown URL', async () => {
    const service = await stopOne({ ...critical('none'), ready: false });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'sigterm', 'stopped']);
    expect(service.transitions[1].reason).toBe('HTTP_UNREACHABLE');
  });

  it('sends SIGTERM when an accepted service does not exit in time', async () => {
    const service = await stopOne({ ...critical('accept-stay'), timeouts: EXIT_RUNS_OUT });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'awaitingExit', 'sigterm', 'stopped']);
    expect(service.transitions[2].reason).toBe('exitTimeout');
    expect(service.method).toBe('signal');
  });

  it('kills an accepted service that ignores SIGTERM too', async () => {
    const service = await stopOne({ ...critical('accept-stay', { FIX_SIGTERM: 'ignore' }), timeouts: { ...EXIT_RUNS_OUT, ...SIGTERM_RUNS_OUT } });
    expect(service.path).toEqual(['idle', 'httpShutdown', 'awaitingExit', 'sigterm', 'forceKill', 'stopped']);
    expect(service.method).toBe('kill');
    expect(service.signal).toBe('SIGKILL');
  });

  it('counts a service that exits while answering as stopped', async () => {
    const service = await stopOne(critical('exit-during'));
    expect(service.path.at(-1)).toBe('stopped');
    expect(service.verified).toBe(true);
  });
});

describe('simple tier', () => {
  it('stops a cooperative service with SIGTERM', async () => {
    const service = await stopOne({});
    expect(service.path).toEqual(['idle', 'sigterm', 'stopped']);
    expect(service.method).toBe('signal');
    expect(service.verified).toBe(true);
  });

  it('kills a service that ignores SIGTERM', async () => {
    const service = await stopOne({ env: { FIX_SIGTERM: 'ignore' }, timeouts: SIGTERM_RUNS_OUT });
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.transitions[1].reason).toBe('sigtermTimeout');
    expect(service.method).toBe('kill');
  });

  it('does not report stopped while grandchildren that ignore SIGTERM live on', async () => {
    const service = await stopOne({ env: { FIX_CHILDREN: '2', FIX_CHILD_SIGTERM: 'ignore' }, timeouts: SIGTERM_RUNS_OUT });
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.verified).toBe(true);
  });

  it('stops a grandchild that left for its own session', async () => {
    const service = await stopOne({ env: { FIX_ESCAPE: '1', FIX_CHILD_SIGTERM: 'ignore' }, timeouts: SIGTERM_RUNS_OUT });
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.verified).toBe(true);
  });

  it('reports a service that exited by itself before the shutdown as self', async () => {
    const stack = await startStack(owned.ledger, { svc: {} });
    const exited = nextEvent(stack, (event) => event.type === 'exited' && event.service === 'svc');
    await endService(stack, 'svc');
    await exited;
    const [service] = (await stack.shutdown()).services;
    expect(service.path).toEqual(['idle', 'stopped']);
    expect(service.method).toBe('self');
  });
});

describe('FORCE', () => {
  it('sends a service waiting on SIGTERM straight to forceKill', async () => {
    const stack = await startStack(owned.ledger, { svc: { env: { FIX_SIGTERM: 'ignore' }, timeouts: { sigterm: '30s' } } });
    const inSigterm = nextEvent(stack, (event) => event.type === 'transition' && event.to === 'sigterm');
    const pending = stack.shutdown();
    await inSigterm;
    stack.force();
    const [service] = (await pending).services;
    expect(service.path).toEqual(['idle', 'sigterm', 'forceKill', 'stopped']);
    expect(service.transitions[1].reason).toBe('FORCE');
    expect(owned.ledger.survivors()).toEqual([]);
  });
});
