// The "votes" API: POST /vote {"choice": "..."} answers 200 with the row id only
// after its transaction's COMMIT returned, so an acknowledged vote is a durable
// one. On tierdown's POST /shutdown (tierdown/service) it stops taking votes,
// lets the transactions in flight finish, and closes its pool before exiting.
import http from 'node:http';
import pg from 'pg';
import { createShutdownHandler } from 'tierdown/service';

const port = Number(process.env.PORT ?? 28821);
const pool = new pg.Pool({ host: process.env.PGHOST, port: Number(process.env.PGPORT), user: 'postgres', database: 'postgres', max: 8 });
await pool.query('CREATE TABLE IF NOT EXISTS votes (id bigserial PRIMARY KEY, choice text NOT NULL, at timestamptz NOT NULL DEFAULT now())');

let stopping = false;
let inFlight = 0;
let idle = () => {};

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(JSON.stringify(body));
};

async function vote(choice) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query('INSERT INTO votes (choice) VALUES ($1) RETURNING id', [choice]);
    await client.query('COMMIT');
    return Number(rows[0].id);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const server = http.createServer(async (req, res) => {
  if (shutdown.handle(req, res)) return;
  if (req.url === '/health') return send(res, 200, { ok: true });
  if (req.url === '/count') return send(res, 200, { votes: Number((await pool.query('SELECT count(*) AS n FROM votes')).rows[0].n) });
  if (req.url !== '/vote' || req.method !== 'POST') return send(res, 404, { error: 'not found' });
  if (stopping) return send(res, 503, { error: 'shutting down' });
  let body = '';
  for await (const chunk of req) body += chunk;
  inFlight += 1;
  try {
    const id = await vote(String(JSON.parse(body || '{}').choice ?? 'blank'));
    send(res, 200, { id });
  } catch (error) {
    send(res, 500, { error: error.message });
  } finally {
    inFlight -= 1;
    if (inFlight === 0) idle();
  }
});

const shutdown = createShutdownHandler({
  server,
  async onShutdown() {
    stopping = true;
    if (inFlight > 0) await new Promise((resolve) => (idle = resolve));
    await pool.end();
    console.log('votes-api: in-flight transactions finished, pool closed');
  },
});
server.listen(port, '127.0.0.1', () => console.log(`votes-api listening on http://127.0.0.1:${port}`));
