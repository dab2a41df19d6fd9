// The Python example of docs/protocol.md runs under tierdown and stops over the
// protocol: 202 to an authorised POST /shutdown, state saved, exit by itself.
import { describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProc } from '../../src/actors/process/proc-table.js';
import { configDir, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { freePort } from '../helpers/processes.js';

jest.setTimeout(60_000);
const owned = ownProcesses();
const SERVICE = fileURLToPath(new URL('../../examples/protocol/service.py', import.meta.url));

describe('examples/protocol/service.py', () => {
  it('is stopped by tierdown over HTTP and saves its state', async () => {
    const port = await freePort();
    const stateFile = path.join(owned.ledger.dir, 'state.json');
    const config = {
      version: 1,
      defaults: { timeouts: { http: '2s', exit: '3s', sigterm: '2s', kill: '1s' } },
      services: {
        counter: { command: ['python3', SERVICE], env: { PORT: String(port), STATE_FILE: stateFile }, port, tier: 'critical', ready: { http: '/health' } },
      },
    };
    const made = configDir(JSON.stringify(config), 'tierdown.json');
    owned.onCleanup(made.cleanup);
    const up = startCli(['up', '--report', 'report.json'], { cwd: made.dir, env: { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') } });
    owned.onCleanup(up.kill);
    await up.waitFor('services ready', 30_000);
    const pid = Number(/counter: started pid (\d+)/.exec(up.output())?.[1]);
    up.child.kill('SIGINT');
    const result = await up.exited;
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(made.dir, 'report.json'), 'utf8'));
    expect(report.services[0]).toMatchObject({ name: 'counter', outcome: 'stopped', method: 'http', path: ['idle', 'httpShutdown', 'awaitingExit', 'stopped'] });
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ stoppedBy: 'http' });
    const entry = readProc(pid);
    expect(entry === undefined || entry.state === 'Z').toBe(true);
  });
});
