// `tierdown up --inspect PORT` through the real binary: it says how to attach,
// a WebSocket client on 127.0.0.1 gets every service actor's events in order,
// and with nobody attached the inspector never holds up the exit.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { startCli } from '../helpers/cli.js';
import { freePort } from '../helpers/processes.js';
import { fixtureConfig } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();

async function upWithInspector() {
  const config = await fixtureConfig(owned.ledger, { api: { tier: 'critical', env: { FIX_HTTP: 'accept-stay' }, timeouts: { http: '5s' } }, worker: { tier: 'simple', http: false } });
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
    expect(eventsOf('api')).toEqual(['xstate.init', 'SHUTDOWN', 'xstate.done.actor.httpShutdown', 'xstate.after.exitTimeout.service.awaitingExit', 'PROCESS_EXITED']);
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
