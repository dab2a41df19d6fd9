// `tierdown demo` through the real binary: the bundled MediVote stack started,
// shown serving, stopped tiered (critical → http, simple → signal) with every
// state file written and valid; and the same run for another stack with -c.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { readEnvVar, readProcessTable } from '../../src/actors/process/proc-table.js';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { quietPort } from '../helpers/ports.js';
import { processLedger } from '../helpers/processes.js';
import { fixtureConfig, type Ledger } from '../helpers/stack.js';

let ledger: Ledger;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  ledger = processLedger();
});
// The MediVote services record no pids: find whatever inherited this test's marker instead.
const inheritors = () =>
  readProcessTable()
    .filter((entry) => entry.state !== 'Z' && readEnvVar(entry.pid, 'FIX_PID_FILE') === ledger.pidFile)
    .map((entry) => entry.pid);
afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  for (const pid of inheritors()) process.kill(pid, 'SIGKILL');
  ledger.killAll();
});

interface ServiceEntry {
  name: string;
  tier: string;
  method: string;
  outcome: string;
}

function demo(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['demo', ...args], { cwd: ledger.dir, env: { FIX_PID_FILE: ledger.pidFile, ...env }, timeoutMs: 60_000 });
}

describe('tierdown demo', () => {
  it('starts MediVote, shows it serving, stops it tiered, and checks every state file', async () => {
    const stateDir = path.join(ledger.dir, 'state');
    const result = await demo(['--report', 'report.json'], { STATE_DIR: stateDir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(ledger.dir, 'report.json'), 'utf8'));
    expect(report.outcome).toBe('stopped');
    expect(report.waves).toEqual([['network_dashboard', 'frontend'], ['backend', 'network_coordinator'], ['incentive_system'], ['blockchain_node']]);
    const byName = Object.fromEntries((report.services as ServiceEntry[]).map((service) => [service.name, service]));
    for (const name of ['backend', 'blockchain_node', 'incentive_system', 'network_coordinator']) {
      expect(byName[name]).toMatchObject({ tier: 'critical', method: 'http', outcome: 'stopped' });
    }
    for (const name of ['network_dashboard', 'frontend']) {
      expect(byName[name]).toMatchObject({ tier: 'simple', method: 'signal', outcome: 'stopped' });
    }

    // Shown serving, and refusing a stop without the token.
    expect(result.stdout).toMatch(/network_coordinator\s+200\s+401 refused/);
    expect(result.stdout).toMatch(/frontend\s+200\s+-\s+text\/html/);
    // The seed's metrics table: per tier, method, mean, max, success rate.
    expect(result.stdout).toMatch(/critical\s+4\s+http\s+\S+\s+\S+\s+100% \(4\/4\)/);
    expect(result.stdout).toMatch(/simple\s+2\s+signal\s+\S+\s+\S+\s+100% \(2\/2\)/);
    expect(result.stdout).toMatch(/demo ok: 6 services stopped tiered in \S+, 4 state files valid/);

    // The state the critical services saved, read back here.
    expect(readdirSync(stateDir).sort()).toEqual(['backend.json', 'blockchain_node.json', 'incentive_system.json', 'network_coordinator.json']);
    const read = (file: string) => JSON.parse(readFileSync(path.join(stateDir, file), 'utf8'));
    const { chain } = read('blockchain_node.json');
    const ledgerFile = read('backend.json');
    // Every vote was sealed into a block the chain persisted before it stopped.
    expect(ledgerFile.votes.every((vote: { block?: number }) => typeof vote.block === 'number')).toBe(true);
    expect(Math.max(...ledgerFile.votes.map((vote: { block: number }) => vote.block))).toBeLessThan(chain.length);
    expect(Object.keys(read('incentive_system.json').nodes)).toEqual(['node-a', 'node-b', 'node-c']);
    expect(Object.keys(read('network_coordinator.json').nodes)).toEqual(['node-a', 'node-b', 'node-c']);
    expect(inheritors()).toEqual([]);
  });

  it('runs another stack the same way with -c', async () => {
    const config = await fixtureConfig(ledger, {
      store: { tier: 'critical', env: { FIX_HTTP: 'good' } },
      web: { depends_on: ['store'] },
    });
    const made = configDir(JSON.stringify(config), 'tierdown.json');
    cleanups.push(made.cleanup);
    const result = await demo(['-c', made.file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/store\s+404\s+401 refused/);
    expect(result.stdout).toContain('(no service names a STATE_FILE)');
    expect(result.stdout).toMatch(/demo ok: 2 services stopped tiered/);
    expect(ledger.survivors()).toEqual([]);
  });

  it('with --ui, waits for the page to open before it stops the stack', async () => {
    const config = await fixtureConfig(ledger, { solo: {} });
    const made = configDir(JSON.stringify(config), 'tierdown.json');
    cleanups.push(made.cleanup);
    const cli = startCli(['demo', '-c', made.file, '--ui', String(await quietPort())], { cwd: ledger.dir, env: { FIX_PID_FILE: ledger.pidFile } });
    cleanups.push(() => cli.kill());
    await cli.waitFor('waiting up to 60s for the page before stopping', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cli.output()).not.toContain('▸ tiered shutdown');
    // The page: whoever follows the event stream at the printed (secret) URL.
    const url = /visualizer: open (\S+)/.exec(cli.output())?.[1] as string;
    const page = new AbortController();
    cleanups.push(() => page.abort());
    await fetch(`${url}api/events`, { signal: page.signal });
    await cli.waitFor('visualizer: page connected');
    await cli.waitFor('demo ok', 30_000);
    expect(cli.output().indexOf('page connected')).toBeLessThan(cli.output().indexOf('▸ tiered shutdown'));
    page.abort();
    // Without a terminal (stdin is not one here) the page is not held open at the end.
    expect((await cli.exited).status).toBe(0);
    expect(ledger.survivors()).toEqual([]);
  }, 90_000);

  it('refuses clearly, starting nothing, when a port of the stack is taken', async () => {
    const config = await fixtureConfig(ledger, { solo: {} });
    const port = (config.services.solo as { port: number }).port;
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => squatter.close());
    const made = configDir(JSON.stringify(config), 'tierdown.json');
    cleanups.push(made.cleanup);
    const result = await demo(['-c', made.file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`port ${port} (solo) already in use`);
    expect(ledger.pids()).toEqual([]);
  });
});
