#!/usr/bin/env node
// The proof (npm run example:postgres): PostgreSQL + the votes API + a static
// frontend under tierdown, a load generator voting all through the stop, then
// PostgreSQL restarted on its own to count. Run twice: stopped tiered, and
// stopped the careless way (everything SIGKILLed at once: tierdown's FORCE with
// --order none, i.e. a second Ctrl-C). Prints the numbers; --json prints them as JSON.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createOrchestrator } from 'tierdown';
import { clusterState, clusterUser, createCluster, findBinaries, recovered, startAlone, stopAlone } from './cluster.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const json = process.argv.includes('--json');
const LOAD_MS = Number(process.env.LOAD_MS ?? 1500);
const WORKERS = 8;
const ports = { db: Number(process.env.PG_PORT ?? 28820), api: Number(process.env.API_PORT ?? 28821), web: Number(process.env.WEB_PORT ?? 28822) };
const say = (line) => json || console.log(line);

function stackConfig(bin, cluster) {
  return {
    version: 1,
    tiers: {
      // PostgreSQL: pg_ctl stop -m fast first, SIGINT (its own fast shutdown) if that fails.
      database: { steps: ['command', 'sigterm', 'forceKill'], signal: 'SIGINT' },
    },
    services: {
      db: {
        command: [path.join(bin, 'postgres'), '-D', cluster.data, ...cluster.options],
        ...(cluster.user ? { user: cluster.user.name } : {}),
        tier: 'database',
        stop: { command: [path.join(bin, 'pg_ctl'), 'stop', '-w', '-D', cluster.data, '-m', 'fast'], timeout: '20s' },
        port: ports.db,
        ready: { tcp: true, timeout: '30s' },
      },
      api: {
        command: [process.execPath, 'votes-api.mjs'],
        cwd: here,
        env: { PORT: String(ports.api), PGHOST: cluster.dir, PGPORT: String(ports.db) },
        port: ports.api,
        tier: 'critical',
        ready: { http: '/health' },
        depends_on: ['db'],
      },
      web: {
        command: [process.execPath, 'web.mjs'],
        cwd: here,
        env: { PORT: String(ports.web) },
        port: ports.web,
        tier: 'simple',
        ready: { http: '/health' },
        depends_on: ['api'],
      },
    },
  };
}

// Every worker votes in a loop until told to stop; a vote counts as acknowledged only on a 200 with its id.
function startLoad() {
  const acknowledged = [];
  let refused = 0;
  let running = true;
  const worker = async (index) => {
    while (running) {
      try {
        const response = await fetch(`http://127.0.0.1:${ports.api}/vote`, { method: 'POST', body: JSON.stringify({ choice: `w${index}` }), signal: AbortSignal.timeout(5000) });
        if (response.status === 200) acknowledged.push((await response.json()).id);
        else {
          refused += 1;
          await response.body?.cancel();
          await sleep(5);
        }
      } catch {
        refused += 1;
        await sleep(5);
      }
    }
  };
  const done = Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
  return { acknowledged, refused: () => refused, stop: async () => ((running = false), done) };
}

async function countVotes(cluster) {
  const client = new pg.Client({ host: cluster.dir, port: ports.db, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    return new Set((await client.query('SELECT id FROM votes')).rows.map((row) => Number(row.id)));
  } finally {
    await client.end();
  }
}

/** One run: start, vote, stop (`tiered` or careless), restart PostgreSQL alone, count. */
export async function run(bin, mode) {
  const cluster = createCluster(bin, clusterUser(), ports.db);
  try {
    const stack = createOrchestrator(stackConfig(bin, cluster), { order: mode === 'tiered' ? 'dependency' : 'none' });
    await stack.start();
    const load = startLoad();
    await sleep(LOAD_MS);
    let report;
    if (mode === 'tiered') {
      report = await stack.shutdown();
    } else {
      stack.force();
      report = await stack.shutdown();
    }
    // The load keeps going through the stop; it ends once the stop has.
    await load.stop();
    const state = clusterState(bin, cluster);
    startAlone(bin, cluster);
    let found;
    try {
      found = await countVotes(cluster);
    } finally {
      stopAlone(bin, cluster);
    }
    const missing = load.acknowledged.filter((id) => !found.has(id));
    return {
      mode,
      acknowledged: load.acknowledged.length,
      found: found.size,
      missing: missing.length,
      // Committed, but the voter never heard so: they may well vote again.
      unacknowledged: [...found].filter((id) => !load.acknowledged.includes(id)).length,
      refused: load.refused(),
      clusterState: state,
      crashRecovery: recovered(cluster),
      outcome: report.outcome,
      dataDir: cluster.data,
      methods: Object.fromEntries(report.services.map((service) => [service.name, service.method])),
    };
  } finally {
    cluster.remove();
  }
}

const bin = findBinaries();
if (!bin) {
  console.error('PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH): apt-get install postgresql');
  process.exit(3);
}
const results = [];
for (const mode of ['tiered', 'careless']) {
  say(`${mode}: starting PostgreSQL, the votes API and the frontend; voting for ${LOAD_MS} ms, then stopping ${mode === 'tiered' ? 'tiered' : 'with SIGKILL to everything at once'}…`);
  const result = await run(bin, mode);
  results.push(result);
  say(
    `${mode}: ${result.acknowledged} votes acknowledged, ${result.found} in the table after restart, ${result.missing} acknowledged votes missing, ${result.unacknowledged} committed but never acknowledged; ` +
      `cluster state before restart: "${result.clusterState}"${result.crashRecovery ? ' (crash recovery at restart)' : ''}; stop methods ${JSON.stringify(result.methods)}`,
  );
}
if (json) console.log(JSON.stringify(results));
