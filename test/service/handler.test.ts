import { describe, expect, it, jest } from '@jest/globals';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createShutdownHandler, type ShutdownContext } from '../../src/service/index.js';

const quiet = { log: () => {}, signals: [] };

describe('createShutdownHandler (in process)', () => {
  it('rejects bad options with TIERDOWN_SERVICE_INVALID_OPTION naming the option', () => {
    expect(() => createShutdownHandler({ ...quiet, defaultDeadlineMs: -1 })).toThrow(
      expect.objectContaining({ code: 'TIERDOWN_SERVICE_INVALID_OPTION', option: 'defaultDeadlineMs' }),
    );
    expect(() => createShutdownHandler({ ...quiet, path: 'shutdown' })).toThrow(/`path` option/);
    expect(() => createShutdownHandler({ ...quiet, onShutdown: ['nope' as never] })).toThrow(/`onShutdown` option/);
  });

  it('runs hooks once across triggers, in order, and reports one result', async () => {
    const calls: string[] = [];
    const exitProcess = jest.fn<(code: number) => void>();
    const shutdown = createShutdownHandler({
      ...quiet,
      exitProcess,
      onShutdown: [({ reason }: ShutdownContext) => void calls.push(`first ${reason}`), () => void calls.push('second')],
    });
    expect(shutdown.phase).toBe('running');
    const first = shutdown.trigger('deploy', { deadlineMs: 1000 });
    expect(shutdown.phase).toBe('shuttingDown');
    const second = shutdown.trigger('again');
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ reason: 'deploy', deadlineMs: 1000, exitCode: 0, hookErrors: [], forcedClose: false });
    expect(calls).toEqual(['first deploy', 'second']);
    expect(shutdown.phase).toBe('done');
    expect(exitProcess).toHaveBeenCalledTimes(1);
    expect(exitProcess).toHaveBeenCalledWith(0);
  });

  it('reports failing hooks with TIERDOWN_SERVICE_HOOK_FAILED and still runs the rest', async () => {
    const ran: number[] = [];
    const shutdown = createShutdownHandler({
      ...quiet,
      exit: false,
      onShutdown: [
        () => {
          throw new Error('disk full');
        },
        () => void ran.push(2),
      ],
    });
    const result = await shutdown.trigger();
    expect(result.exitCode).toBe(1);
    expect(result.hookErrors).toEqual([expect.objectContaining({ code: 'TIERDOWN_SERVICE_HOOK_FAILED', hookIndex: 0 })]);
    expect(ran).toEqual([2]);
  });

  it('rejects a trigger with an invalid deadline', async () => {
    const shutdown = createShutdownHandler({ ...quiet, exit: false });
    await expect(shutdown.trigger('x', { deadlineMs: Number.NaN })).rejects.toMatchObject({ option: 'deadlineMs' });
    expect(shutdown.phase).toBe('running');
  });

  it('closes its server and passes foreign paths on through middleware', async () => {
    const server = createServer();
    const shutdown = createShutdownHandler({ ...quiet, server, exit: false });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const next = jest.fn();
    shutdown.middleware({ url: '/other' } as IncomingMessage, {} as ServerResponse, next);
    expect(next).toHaveBeenCalledTimes(1);
    await shutdown.trigger('test', { deadlineMs: 1000 });
    expect(server.listening).toBe(false);
    shutdown.dispose();
  });

  it('adds its signal listeners and removes them on dispose', () => {
    const before = process.listenerCount('SIGUSR2');
    const shutdown = createShutdownHandler({ log: () => {}, signals: ['SIGUSR2'], exit: false });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    shutdown.dispose();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
