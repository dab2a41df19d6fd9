// `tierdown up --inspect PORT` through the real binary: it says how to attach,
// a WebSocket client on 127.0.0.1 gets every service actor's events in order,
// and with nobody attached the inspector never holds up the exit.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { WebSocket } from 'ws';
import { startCli } from '../helpers/cli.js';
import { freePort } from '../helpers/processes.js';
import { fixtureConfig } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

async function upWithInspector() {
  const config = await fixtureConfig(owned.ledger, { api: { tier: 'critical', env: { FIX_HTTP: 'accept-stay' }, timeouts: { http: '5s', exit: '300ms' } }, worker: { tier: 'simple', http: false } });
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-inspect-'));
  owned.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'tierdown.json'), JSON.stringify(config));
  const port = await freePort();
  const cli = startCli(['up', '-c', 'tierdown.json', '--inspect', String(port)], { cwd: dir });
  owned.onCleanup(() => cli.kill());
  await cli.waitFor(`inspector: open http://127.0.0.1:${port}`);
  await cli.waitFor('services ready');
  return { cli, port };
}

describe('tierdown up --inspect', () => {
  it('streams each service actor\'s events, in order, to a WebSocket client', async () => {
    const { cli, port } = await upWithInspector();
    expect(cli.output()).toContain(`ws://127.0.0.1:${port}`);
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    const messages: { type: string; name?: string; sessionId: string; event?: { type: string } }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    await closed;
    expect(result.status).toBe(0);
    const eventsOf = (name: string) => {
      const actor = messages.find((message) => message.type === '@xstate.actor' && message.name === name);
      return messages
        .filter((message) => message.sessionId === actor?.sessionId && message.type === '@xstate.event' && message.event?.type !== 'MAIN_EXITED')
        .map((message) => message.event?.type);
    };
    expect(eventsOf('api')).toEqual(['xstate.init', 'SHUTDOWN', 'xstate.done.actor.httpShutdown', 'xstate.done.actor.exitTimeout', 'PROCESS_EXITED']);
    expect(eventsOf('worker')).toEqual(['xstate.init', 'SHUTDOWN', 'PROCESS_EXITED']);
  });

  it('exits as usual when no inspector ever attached', async () => {
    const { cli } = await upWithInspector();
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.status).toBe(0);
    expect(owned.ledger.survivors()).toEqual([]);
  });
});

/** How a WebSocket handshake with `origin` ends: 'open', or the refusal's text. */
function handshake(url: string, origin?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once('open', () => (socket.terminate(), resolve('open')));
    socket.once('error', (error) => resolve(error.message));
  });
}

describe('tierdown up --inspect, towards the browser', () => {
  it('refuses a WebSocket from any web page but its own bridge page and Stately\'s inspector', async () => {
    const { cli, port } = await upWithInspector();
    const url = `ws://127.0.0.1:${port}`;
    expect(await handshake(url, 'https://evil.example')).toMatch(/Unexpected server response: 401/);
    expect(await handshake(url, 'http://127.0.0.1:1')).toMatch(/401/);
    expect(await handshake(url, 'null')).toMatch(/401/);
    // Non-browser clients send no Origin; the bridge page and stately.ai are the browser ones.
    expect(await handshake(url)).toBe('open');
    expect(await handshake(url, `http://127.0.0.1:${port}`)).toBe('open');
    expect(await handshake(url, 'https://stately.ai')).toBe('open');
    cli.child.kill('SIGINT');
    expect((await cli.exited).status).toBe(0);
  });

  it("falls back to a free port when the default one is busy, without a stack trace", async () => {
    // Busy either way: held here, or already held by something else on this machine.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.once('error', () => resolve()).listen(8080, '127.0.0.1', resolve));
    owned.onCleanup(() => blocker.close());
    const config = await fixtureConfig(owned.ledger, { worker: { tier: 'simple', http: false } });
    const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-inspect-'));
    owned.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'tierdown.json'), JSON.stringify(config));
    const cli = startCli(['up', '-c', 'tierdown.json', '--inspect'], { cwd: dir });
    owned.onCleanup(() => cli.kill());
    await cli.waitFor('services ready');
    expect(cli.output()).toMatch(/inspector: open http:\/\/127\.0\.0\.1:(?!8080\b)\d+/);
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/EADDRINUSE|at .*\(node:/);
  });
});
