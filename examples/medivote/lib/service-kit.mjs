// What the MediVote services share: where state lives, JSON in and out, and
// one way to start an HTTP service whose stop goes through tierdown/service.
import http from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShutdownHandler } from 'tierdown/service';

/** Each run's state folder: `tierdown demo` gives every run its own (STATE_DIR). */
export const stateDir = process.env.STATE_DIR ?? join(tmpdir(), 'medivote-state');
await mkdir(stateDir, { recursive: true });

/** The file a service keeps its state in: STATE_FILE (named in tierdown.yaml), else `<name>.json`. */
export function stateFileFor(name) {
  return join(stateDir, process.env.STATE_FILE ?? `${name}.json`);
}

/** The saved state, or `fallback` on a first run. Saves are atomic, so a file is whole or absent; a corrupt one stops the service. */
export async function loadState(file, fallback) {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return fallback;
    throw new Error(`cannot read state ${file}: ${error.message}`);
  }
}

export function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(JSON.stringify(body));
}

export async function readJson(req, limit = 64 * 1024) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > limit) throw Object.assign(new Error('body too large'), { status: 413 });
  }
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw Object.assign(new Error('expected a JSON body'), { status: 400 });
  }
}

/** POSTs JSON to a peer; resolves with its parsed answer or throws with the status. */
export async function postJson(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

export async function getJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/**
 * Serves `handle` on 127.0.0.1:PORT with /health, and stops through tierdown/service:
 * with `httpShutdown` an authenticated POST /shutdown (401 without tierdown's token),
 * always SIGTERM/SIGINT; either way `onShutdown` runs once, the server drains, the process exits.
 */
export function startService({ name, handle, onShutdown, httpShutdown = true }) {
  const port = Number(process.env.PORT);
  const server = http.createServer(async (req, res) => {
    if (httpShutdown && shutdown.handle(req, res)) return;
    if (req.url === '/health') return sendJson(res, 200, { ok: true });
    try {
      await handle(req, res);
    } catch (error) {
      sendJson(res, error.status ?? 500, { error: error.message });
    }
  });
  const shutdown = createShutdownHandler({ server, onShutdown });
  server.once('error', (error) => {
    console.error(`${name}: cannot listen on 127.0.0.1:${port}: ${error.message}`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => console.log(`${name} listening on http://127.0.0.1:${port}`));
  return server;
}
