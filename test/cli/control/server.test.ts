// The control channel between `up` and `down`, in-process against a real
// engine: who may use the socket, what it streams, how it refuses, and how a
// dead `up`'s socket is told from a live one.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Orchestrator } from '../../../src/engine/orchestrator.js';
import type { TierdownEvent } from '../../../src/events.js';
import { connectToUp, probeSocket } from '../../../src/cli/control/client.js';
import { ensureControlDir, socketPath } from '../../../src/cli/control/paths.js';
import { openConversation } from '../../../src/cli/control/request.js';
import { listenForControl, type ControlServer } from '../../../src/cli/control/server.js';
import { processLedger } from '../../helpers/processes.js';
import { startStack, type Ledger } from '../../helpers/stack.js';

let ledger: Ledger;
let env: NodeJS.ProcessEnv;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
beforeEach(() => {
  ledger = processLedger();
  env = { XDG_RUNTIME_DIR: path.join(ledger.dir, 'run') };
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  ledger.killAll();
});

async function running(stack: Orchestrator): Promise<ControlServer> {
  const server = await listenForControl(stack, { env, statusIntervalMs: 10 });
  cleanups.push(() => server.close());
  return server;
}

async function threeTierStack() {
  const stack = await startStack(ledger, {
    db: {},
    api: { tier: 'critical', env: { FIX_HTTP: 'good' }, depends_on: ['db'] },
    web: { depends_on: ['api'] },
  });
  cleanups.push(() => stack.shutdown());
  return stack;
}

describe('control server', () => {
  it('listens on a 0600 socket in a 0700 folder, and removes it on close', async () => {
    const stack = await threeTierStack();
    const server = await running(stack);
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(server.path)).mode & 0o777).toBe(0o700);
    await server.close();
    expect(await probeSocket(server.path)).toBe('absent');
  });

  it('streams the engine events of the stop it was asked for, ending with its report', async () => {
    const stack = await threeTierStack();
    const server = await running(stack);
    const remote = await connectToUp(server.path, stack.config.source);
    const seen: TierdownEvent[] = [];
    remote.subscribe((event) => seen.push(event));
    const report = await remote.shutdown(['api'], { status: true });
    expect(report.services.map((service) => service.name)).toEqual(['web', 'api']);
    expect(seen[0]).toMatchObject({ type: 'shutdownStarted', waves: [['web'], ['api']] });
    expect(seen.at(-1)).toMatchObject({ type: 'report' });
    expect(seen.filter((event) => event.type === 'transition').map((event) => event.type === 'transition' && event.service)).toContain('api');
    expect(remote.status().map((row) => [row.name, row.state])).toEqual([
      ['db', 'ready'],
      ['api', 'stopped'],
      ['web', 'stopped'],
    ]);
    expect(stack.finished).toBe(false);
  });

  it('finishes a partial stop under way before stopping the rest, for a full stop asked meanwhile', async () => {
    const stack = await threeTierStack();
    const server = await running(stack);
    const partial = stack.shutdown(['web']);
    const remote = await connectToUp(server.path, stack.config.source);
    const reports: string[][] = [];
    remote.subscribe((event) => event.type === 'report' && reports.push(event.report.services.map((service) => service.name)));
    const last = await remote.shutdown([]);
    await partial;
    expect(stack.finished).toBe(true);
    expect(last.services.map((service) => service.name)).toEqual(['api', 'db']);
    expect(reports.at(-1)).toEqual(['api', 'db']);
  });

  it('refuses unknown service names and stops nothing, with the one message the engine and every command give', async () => {
    const stack = await threeTierStack();
    const server = await running(stack);
    const said = 'unknown service "nope" (known: db, api, web)';
    const remote = await connectToUp(server.path, stack.config.source);
    await expect(remote.shutdown(['api', 'nope'])).rejects.toMatchObject({ code: 'TIERDOWN_UNKNOWN_SERVICE', message: said });
    const restart = await openConversation(server.path, stack.config.source);
    await expect(restart.ask({ type: 'restart', services: ['nope'] })).rejects.toMatchObject({ code: 'TIERDOWN_UNKNOWN_SERVICE', message: said });
    const nothing = await openConversation(server.path, stack.config.source);
    await expect(nothing.ask({ type: 'restart', services: [] })).rejects.toMatchObject({ message: 'name at least one service (known: db, api, web)' });
    // The API says the same.
    await expect(stack.shutdown(['nope'])).rejects.toMatchObject({ name: 'UnknownServiceError', code: 'TIERDOWN_UNKNOWN_SERVICE', message: said });
    await expect(stack.restart(['nope'])).rejects.toMatchObject({ code: 'TIERDOWN_UNKNOWN_SERVICE', message: said });
    expect(stack.status().every((row) => row.state === 'ready')).toBe(true);
  });

  it('says a tierdown that cannot restart cannot, under its own code, not as an unknown service', async () => {
    const stack = await threeTierStack();
    // The control server of a stack without restarts (demo's, an embedder's): restart is absent.
    const server = await running(Object.assign(Object.create(stack) as Orchestrator, { restart: undefined }));
    const conversation = await openConversation(server.path, stack.config.source);
    await expect(conversation.ask({ type: 'restart', services: ['api'] })).rejects.toMatchObject({ code: 'TIERDOWN_RESTART_UNSUPPORTED' });
    const again = await openConversation(server.path, stack.config.source);
    await expect(again.ask({ type: 'restart', services: ['nope'] })).rejects.toMatchObject({ code: 'TIERDOWN_RESTART_UNSUPPORTED' });
  });

  it('refuses to start a second server for the same config', async () => {
    const stack = await threeTierStack();
    await running(stack);
    await expect(listenForControl(stack, { env })).rejects.toMatchObject({ code: 'TIERDOWN_ALREADY_RUNNING' });
  });

  it('replaces a stale socket left by an up that died', async () => {
    const stack = await threeTierStack();
    const file = socketPath(stack.config.source, env);
    ensureControlDir(path.dirname(file));
    // A socket nobody accepts on: its listener was SIGKILLed, so nothing unlinked it.
    const holder = spawn(process.execPath, ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('listening'))", file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => holder.kill('SIGKILL'));
    await once(holder.stdout!, 'data');
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    expect(await probeSocket(file)).toBe('stale');
    await expect(connectToUp(file, stack.config.source)).rejects.toMatchObject({ code: 'TIERDOWN_NOT_RUNNING', message: expect.stringContaining('stale') });
    const server = await running(stack);
    expect(await probeSocket(server.path)).toBe('live');
  });

  it('tells down plainly when no up is running', async () => {
    await expect(connectToUp(path.join(ledger.dir, 'none.sock'), '/some/tierdown.yaml')).rejects.toMatchObject({
      code: 'TIERDOWN_NOT_RUNNING',
      message: expect.stringContaining("no 'tierdown up' is running for /some/tierdown.yaml"),
    });
  });
});
