/**
 * pm2 from the bench-local install (bench/peers/node_modules), with its own
 * PM2_HOME under the run's temporary folder, `kill_timeout: 1000` (the grace)
 * and SIGTERM as its stop signal (its default is SIGINT, which the services'
 * background `sleep` ignores — SIGTERM keeps the comparison like for like).
 * pm2 stops apps one at a time, so it is run only up to N = 10.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup, own } from '../ledger.js';
import { GRACE_MS, serviceArgv, serviceName } from '../services.js';
import { runCommand } from './command.js';
import { supervisedStack } from './supervised.js';
import type { Runner } from './types.js';

/** bench/peers/node_modules/.bin/pm2, seen from dist/bench/runners. */
const PM2_BIN = fileURLToPath(new URL('../../../bench/peers/node_modules/.bin/pm2', import.meta.url));

export const PM2_MAX_N = 10;

interface Pm2Process {
  name: string;
  pid: number;
  pm2_env?: { status?: string };
}

export const pm2Runner: Runner = {
  key: 'pm2',
  label: 'pm2',
  peer: true,
  maxN: PM2_MAX_N,
  unavailable: async () => (existsSync(PM2_BIN) ? undefined : 'not installed (bench/peers/install.sh installs it)'),
  start: async (n, kind, workDir) => {
    const home = join(workDir, `pm2-${kind}-${n}`);
    mkdirSync(home, { recursive: true });
    const env = { ...process.env, PM2_HOME: home, PM2_KILL_SIGNAL: 'SIGTERM', PM2_DISABLE_UPDATE_CHECK: 'true' };
    const pm2 = (...args: string[]) => runCommand(PM2_BIN, args, { env, timeoutMs: 120_000 });
    const [script, ...args] = serviceArgv(kind);
    const apps = Array.from({ length: n }, (_, index) => ({
      name: serviceName(index),
      script,
      args,
      interpreter: 'none',
      autorestart: false,
      kill_timeout: GRACE_MS,
      out_file: '/dev/null',
      error_file: '/dev/null',
    }));
    const ecosystem = join(home, 'apps.json');
    writeFileSync(ecosystem, JSON.stringify({ apps }));
    const daemonPid = () => {
      const file = join(home, 'pm2.pid');
      return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
    };
    const close = async () => {
      const daemon = daemonPid();
      await pm2('kill');
      removeHook();
      if (daemon) own(daemon);
    };
    const removeHook = onCleanup(close);
    try {
      const started = await pm2('start', ecosystem);
      own(daemonPid());
      if (started.code !== 0) throw new Error(`pm2 start failed: ${started.stderr.trim() || started.stdout.trim()}`);
    } catch (error) {
      await close();
      throw error;
    }
    return supervisedStack({
      what: `pm2 to run ${n} apps`,
      n,
      runningPids: async () => {
        const list = JSON.parse((await pm2('jlist')).stdout || '[]') as Pm2Process[];
        return list.filter((app) => app.pm2_env?.status === 'online' && app.pid > 0).map((app) => app.pid);
      },
      stopAll: () => pm2('stop', 'all'),
      close,
    });
  },
};
