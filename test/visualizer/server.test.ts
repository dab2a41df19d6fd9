// The visualizer's server: the charts it serves come from the machines as each
// tier configures them; events are replayed to a page opened late; only its own
// origin on 127.0.0.1 and the holder of its secret URL may read it; and
// `demo --ui` can wait for a page to open, and to close.
import { afterEach, describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { startVisualizer, type Visualizer } from '../../visualizer/server.js';
import { startStack } from '../helpers/stack.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();
let ui: Visualizer | undefined;
afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

// Reads server-sent events until `enough` says so (bounded, to catch hangs).
async function readEvents(url: string, enough: (messages: { kind: string; event?: { type: string } }[]) => boolean, signal?: AbortSignal) {
  const response = await fetch(url, { signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const messages: { kind: string; event?: { type: string } }[] = [];
  let text = '';
  const giveUp = Date.now() + 10_000;
  while (!enough(messages) && Date.now() < giveUp) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    const parts = text.split('\n\n');
    text = parts.pop() ?? '';
    for (const part of parts) messages.push(JSON.parse(part.replace(/^data: /, '')));
  }
  return { messages, reader };
}

describe('the visualizer server', () => {
  it('serves the page, and each service chart as its tier configures it', async () => {
    const stack = await startStack(owned.ledger, { api: { tier: 'critical', env: { FIX_HTTP: 'good' } }, worker: { tier: 'simple', http: false } });
    ui = await startVisualizer(stack, { port: 0 });
    expect(ui.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ui.port}/[A-Za-z0-9_-]{24}/$`));
    expect(await (await fetch(ui.url)).text()).toContain('<script type="module" src="app.js">');
    const model = await (await fetch(`${ui.url}api/model`)).json();
    const keys = (name: string) => model.services.find((service: { name: string }) => service.name === name).labelled.nodes.map((node: { key: string }) => node.key).sort();
    expect(keys('api')).toEqual(['any state', 'awaitingExit', 'failed', 'forceKill', 'httpShutdown', 'idle', 'sigterm', 'stopped']);
    expect(keys('worker')).toEqual(['any state', 'failed', 'forceKill', 'idle', 'sigterm', 'stopped']);
    expect(model.orchestrator.nodes.map((node: { key: string }) => node.key)).toContain('stopping');
    await stack.shutdown();
  });

  it('replays the run so far to a page opened late, then streams the rest', async () => {
    const stack = await startStack(owned.ledger, { solo: { tier: 'simple', http: false } });
    ui = await startVisualizer(stack, { port: 0 });
    await stack.shutdown();
    const { messages, reader } = await readEvents(`${ui.url}api/events`, (seen) => seen.some((message) => message.event?.type === 'report'));
    await reader.cancel();
    const types = messages.filter((message) => message.kind === 'event' && message.event?.type !== 'mainExited').map((message) => message.event?.type);
    // sigterm → stopped, or (on a loaded machine, with the tests' short timeouts) through forceKill.
    expect(types[0]).toBe('shutdownStarted');
    expect(types.at(-1)).toBe('report');
    expect(types.slice(1, -1).every((type) => type === 'transition') && types.length >= 4).toBe(true);
  });

  it('serves nothing without the secret of its URL', async () => {
    const stack = await startStack(owned.ledger, { solo: { tier: 'simple', http: false } });
    ui = await startVisualizer(stack, { port: 0, secret: 'the-secret' });
    expect(ui.url).toBe(`http://127.0.0.1:${ui.port}/the-secret/`);
    const base = `http://127.0.0.1:${ui.port}`;
    for (const route of ['/', '/api/model', '/api/events', '/index.html', '/the-secre/api/model', '/the-secret-/api/model', '/THE-SECRET/api/model', '/x/the-secret/api/model']) {
      expect([route, (await fetch(`${base}${route}`)).status]).toEqual([route, 404]);
    }
    expect((await fetch(`${base}/the-secret/api/model`)).status).toBe(200);
    await stack.shutdown();
  });

  it('answers only requests for its own origin', async () => {
    const stack = await startStack(owned.ledger, { solo: { tier: 'simple', http: false } });
    ui = await startVisualizer(stack, { port: 0 });
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port: ui?.port, path: new URL(`${ui?.url}api/model`).pathname, headers: { host: 'evil.example:80' } }, (response) => resolve(response.statusCode ?? 0))
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(403);
    await stack.shutdown();
  });

  it('waits for a page to open (or gives up), then until it is closed, or until Enter', async () => {
    const stack = await startStack(owned.ledger, { solo: { tier: 'simple', http: false } });
    ui = await startVisualizer(stack, { port: 0 });
    await expect(ui.waitForPage(30)).resolves.toBe(false);
    const opened = ui.waitForPage(10_000);
    const page = new AbortController();
    const closed = ui.waitForClose({ graceMs: 50 });
    await readEvents(`${ui.url}api/events`, (seen) => seen.length === 0 || true, page.signal);
    await expect(opened).resolves.toBe(true);
    page.abort();
    await expect(closed).resolves.toBe('closed');

    const input = new PassThrough();
    const entered = ui.waitForClose({ input });
    input.write('\n');
    await expect(entered).resolves.toBe('enter');
    await stack.shutdown();
  });
});
