// `--inspect`: a WebSocket client on 127.0.0.1 receives every actor's events and
// snapshots in the Stately inspection format, in order, during a real shutdown.
import { afterEach, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import { startInspectorRelay, type InspectorRelay } from '../../src/inspector/relay.js';
import { startStack } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';
import { waitUntil } from '../helpers/wait.js';

interface Message {
  type: string;
  sessionId: string;
  name?: string;
  definition?: string;
  event?: { type: string };
  snapshot?: { value?: unknown; status?: string };
  _version: string;
}

const owned = ownProcesses();
let relay: InspectorRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

function collect(url: string): Promise<{ messages: Message[]; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const messages: Message[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    socket.once('open', () => resolve({ messages, socket }));
    socket.once('error', reject);
  });
}

describe('the inspector relay', () => {
  it('streams each service actor, then its events and snapshots in order, during a real shutdown', async () => {
    relay = await startInspectorRelay({ port: 0 });
    const { messages, socket } = await collect(relay.url);
    const stack = await startStack(
      owned.ledger,
      { api: { tier: 'critical', env: { FIX_HTTP: 'accept-stay' }, timeouts: { http: '5s', exit: '300ms' } }, worker: { tier: 'simple', http: false } },
      { inspect: relay.inspect },
    );
    await stack.shutdown();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await relay.close();
    await closed;

    expect(messages.every((message) => typeof message._version === 'string')).toBe(true);
    const actorOf = (name: string) => messages.find((message) => message.type === '@xstate.actor' && message.name === name);
    const api = actorOf('api');
    const worker = actorOf('worker');
    expect(api && worker && actorOf('orchestrator')).toBeTruthy();
    expect(JSON.parse(api?.definition ?? '{}').id).toBe('service');

    const storyOf = (sessionId: string | undefined) => {
      const own = messages.filter((message) => message.sessionId === sessionId);
      const states = own.filter((message) => message.type === '@xstate.snapshot').map((message) => message.snapshot?.value);
      return {
        // MAIN_EXITED may come before PROCESS_EXITED or not at all (when the group empties at once).
        events: own.filter((message) => message.type === '@xstate.event' && message.event?.type !== 'MAIN_EXITED').map((message) => message.event?.type),
        states: states.filter((state, index) => state !== states[index - 1]),
      };
    };
    const apiStory = storyOf(api?.sessionId);
    expect(apiStory.events).toEqual(['xstate.init', 'SHUTDOWN', 'xstate.done.actor.httpShutdown', 'xstate.done.actor.exitTimeout', 'PROCESS_EXITED']);
    expect(apiStory.states).toEqual(['idle', 'httpShutdown', 'awaitingExit', 'sigterm', 'stopped']);
    const workerStory = storyOf(worker?.sessionId);
    expect(workerStory.events).toEqual(['xstate.init', 'SHUTDOWN', 'PROCESS_EXITED']);
    expect(workerStory.states).toEqual(['idle', 'sigterm', 'stopped']);
  });

  it('replays actor registrations to a client that attaches late', async () => {
    relay = await startInspectorRelay({ port: 0 });
    const stack = await startStack(owned.ledger, { solo: { tier: 'simple', http: false } }, { inspect: relay.inspect });
    await stack.shutdown();
    const { messages, socket } = await collect(relay.url);
    // The replay is the first thing sent to a new client; a relay that forgot it times out here.
    await waitUntil(() => messages.some((message) => message.type === '@xstate.actor' && message.name === 'solo'));
    socket.close();
  });

  it('serves the page that bridges the stream into Stately\'s inspector', async () => {
    relay = await startInspectorRelay({ port: 0 });
    const page = await (await fetch(relay.pageUrl)).text();
    expect(page).toContain(JSON.stringify(relay.url));
    expect(page).toContain('https://stately.ai/inspect');
  });

  it('closes promptly even while a client never answers the close handshake', async () => {
    relay = await startInspectorRelay({ port: 0, closeTimeoutMs: 100 });
    const { socket } = await collect(relay.url);
    // A paused client reads nothing, so it never answers the close frame.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const started = performance.now();
    await relay.close();
    expect(performance.now() - started).toBeLessThan(2000);
    socket.terminate();
  });
});
