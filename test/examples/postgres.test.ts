// The PostgreSQL proof (examples/postgres): a load generator votes all through
// the stop; stopped tiered, every acknowledged vote is in the table after
// PostgreSQL restarts and the cluster was shut down cleanly; stopped the
// careless way (everything SIGKILLed at once) the cluster needs crash recovery.
// Runs the example itself (node examples/postgres/proof.mjs --json, on dist/).
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { quietPort } from '../helpers/ports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROOF = `${ROOT}examples/postgres/proof.mjs`;

function postgresInstalled(): boolean {
  const root = '/usr/lib/postgresql';
  if (existsSync(root) && readdirSync(root).some((version) => existsSync(`${root}/${version}/bin/initdb`))) return true;
  return (process.env.PATH ?? '').split(':').some((dir) => existsSync(`${dir}/initdb`));
}

// CI installs PostgreSQL (.ci/run); elsewhere the proof is skipped, saying why.
const available = postgresInstalled() || process.env.CI === 'true';
if (!available) process.stdout.write('examples/postgres proof skipped: PostgreSQL is not installed (no initdb); CI installs it\n');

interface Result {
  mode: 'tiered' | 'careless';
  acknowledged: number;
  found: number;
  missing: number;
  unacknowledged: number;
  clusterState: string;
  crashRecovery: boolean;
  outcome: string;
  dataDir: string;
  methods: Record<string, string>;
}

// Pids whose command line names the cluster's folder: PostgreSQL and its workers.
function runningIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

(available ? describe : describe.skip)('PostgreSQL under tierdown', () => {
  it('loses no acknowledged vote and shuts the cluster down cleanly when stopped tiered, unlike SIGKILL', async () => {
    const [db, api, web] = [await quietPort(), await quietPort(), await quietPort()];
    const { stdout } = await promisify(execFile)(process.execPath, [PROOF, '--json'], {
      env: { ...process.env, PG_PORT: String(db), API_PORT: String(api), WEB_PORT: String(web), LOAD_MS: '1500' },
      timeout: 120_000,
    });
    const results = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Result[];
    const tiered = results.find((result) => result.mode === 'tiered') as Result;
    const careless = results.find((result) => result.mode === 'careless') as Result;
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

    expect(tiered.acknowledged).toBeGreaterThan(0);
    expect(tiered.missing).toBe(0);
    expect(tiered.unacknowledged).toBe(0);
    expect(tiered.clusterState).toBe('shut down');
    expect(tiered.crashRecovery).toBe(false);
    expect(tiered.outcome).toBe('stopped');
    expect(tiered.methods).toEqual({ web: 'signal', api: 'http', db: 'command' });

    expect(careless.acknowledged).toBeGreaterThan(0);
    expect(careless.clusterState).toBe('in production');
    expect(careless.crashRecovery).toBe(true);
    expect(careless.methods.db).toBe('kill');

    // Nothing of either cluster is left running.
    for (const result of results) expect(runningIn(result.dataDir)).toEqual([]);
  }, 180_000);
});
