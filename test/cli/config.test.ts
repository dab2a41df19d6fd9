// `tierdown config` (docs/cli.md): the resolved config — interpolated, defaults,
// steps and budgets filled in — as YAML or JSON; token files named, never read.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseDuration } from '../../src/config/durations.js';
import { configDir, runCli } from '../helpers/cli.js';

// Several CLI runs per test; on a loaded machine each takes seconds.
jest.setTimeout(120_000);

const made: { cleanup(): void }[] = [];
afterEach(() => made.splice(0).forEach((dir) => dir.cleanup()));

const CONFIG = `version: 1
tiers:
  drain: { steps: [http, sigterm], signal: SIGINT, timeouts: { exit: "\${DRAIN_EXIT:-8s}" } }
services:
  db:
    command: [postgres, -D, data]
    restart: on-failure
    healthcheck: { command: [pg_isready], interval: 10s }
    required: false
  api:
    command: [node, api.js, "--port=\${API_PORT}"]
    port: \${API_PORT}
    tier: drain
    depends_on: [db]
    ready: { http: /health }
  ledger:
    url: "https://\${LEDGER_HOST}:9000"
    shutdown: { tokenFile: ledger.token }
`;

function stack(text = CONFIG) {
  const dir = configDir(text);
  made.push(dir);
  writeFileSync(path.join(dir.dir, '.env'), 'API_PORT=8001\nLEDGER_HOST=10.0.0.7\n');
  writeFileSync(path.join(dir.dir, 'ledger.token'), 'the-ledger-token-0123456789');
  return dir;
}

describe('tierdown config', () => {
  it('prints the config as tierdown runs it, as YAML', async () => {
    const { dir } = stack();
    const result = await runCli(['config'], { cwd: dir });
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^# .*tierdown\.yaml, resolved/);
    const view = parse(result.stdout);
    expect(view.tiers.drain).toEqual({ steps: ['http', 'sigterm', 'forceKill'], signal: 'SIGINT', timeouts: { http: '2s', exit: '8s', sigterm: '5s', kill: '2s' } });
    expect(view.services.api).toEqual({
      command: ['node', 'api.js', '--port=8001'],
      cwd: dir,
      env: {},
      port: 8001,
      tier: 'drain',
      steps: ['http', 'sigterm', 'forceKill'],
      signal: 'SIGINT',
      timeouts: { http: '2s', exit: '8s', sigterm: '5s', kill: '2s', max_extend: '5m' },
      budget: '17s',
      depends_on: ['db'],
      shutdown: { url: 'http://127.0.0.1:8001/shutdown' },
      ready: { http: 'http://127.0.0.1:8001/health', timeout: '30s' },
      restart: { policy: 'no', max_restarts: 5, backoff: '1s' },
      required: true,
    });
    expect(view.services.db).toMatchObject({
      tier: 'simple',
      steps: ['sigterm', 'forceKill'],
      budget: '7s',
      ready: 'started',
      restart: { policy: 'on-failure' },
      healthcheck: { command: ['pg_isready'], interval: '10s', timeout: '30s', retries: 3, start_period: '0ms' },
      required: false,
    });
    expect(view.services.ledger).toMatchObject({ url: 'https://10.0.0.7:9000', steps: ['http'], shutdown: { url: 'https://10.0.0.7:9000/shutdown', tokenFile: path.join(dir, 'ledger.token') } });
    expect(view.stop_waves).toEqual([['api', 'ledger'], ['db']]);
    expect(view.worst_case_shutdown).toBe('24s');
    expect(result.stdout).not.toContain('the-ledger-token');
  });

  it('prints the same as JSON, with budgets validate agrees with', async () => {
    const { dir } = stack();
    const [yaml, json, validate] = await Promise.all([runCli(['config'], { cwd: dir }), runCli(['config', '--json'], { cwd: dir }), runCli(['validate', '--json'], { cwd: dir })]);
    const view = JSON.parse(json.stdout);
    expect(view.source).toBe(path.join(dir, 'tierdown.yaml'));
    expect({ ...view, source: undefined }).toEqual({ ...parse(yaml.stdout), source: undefined });
    const plan = JSON.parse(validate.stdout) as { services: { name: string; budgetMs: number }[]; worstCaseMs: number; waves: string[][] };
    for (const service of plan.services) expect(parseDuration(view.services[service.name].budget)).toBe(service.budgetMs);
    expect(parseDuration(view.worst_case_shutdown)).toBe(plan.worstCaseMs);
    expect(view.stop_waves).toEqual(plan.waves);
  });

  it('never reads a token file: a FIFO there does not hang it', async () => {
    const { dir } = stack();
    execFileSync('mkfifo', [path.join(dir, 'fifo.token')]);
    writeFileSync(path.join(dir, 'tierdown.yaml'), CONFIG.replace('tokenFile: ledger.token', 'tokenFile: fifo.token'));
    const result = await runCli(['config', '--json'], { cwd: dir, timeoutMs: 20_000 });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).services.ledger.shutdown.tokenFile).toBe(path.join(dir, 'fifo.token'));
  });

  it('takes variables from --env-file instead of .env', async () => {
    const { dir } = stack();
    writeFileSync(path.join(dir, 'prod.env'), 'API_PORT=9001\nLEDGER_HOST=10.0.0.8\n');
    const result = await runCli(['config', '--json', '--env-file', 'prod.env'], { cwd: dir });
    expect(JSON.parse(result.stdout).services.api.port).toBe(9001);
  });

  it('is exit 2 with the variable and its path when one is unset, never echoing .env values', async () => {
    const { dir } = stack();
    writeFileSync(path.join(dir, '.env'), 'LEDGER_HOST=10.0.0.7\nSECRET_TIER=hunter2-tier\n');
    writeFileSync(path.join(dir, 'tierdown.yaml'), `${CONFIG}  extra: { command: [node, x.js], tier: "\${SECRET_TIER}" }\n`);
    const result = await runCli(['config'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('services.api.command.2: variable API_PORT is not set');
    expect(result.stderr).toContain('services.api.port: variable API_PORT is not set');
    expect(result.stderr).toContain('services.extra.tier: unknown tier "${SECRET_TIER}"');
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stdout).toBe('');
  });

  it('--services lists the names in the file, even while the rest does not check out', async () => {
    const { dir } = stack('version: 1\nservices:\n  db: { command: [x], port: "${UNSET_PORT}" }\n  api: { comand: [y] }\n  "../bad": {}\n');
    const result = await runCli(['config', '--services'], { cwd: dir });
    expect([result.status, result.stdout]).toEqual([0, 'db\napi\n']);
    const none = await runCli(['config', '--services', '-c', 'missing.yaml'], { cwd: dir });
    expect([none.status, none.stdout]).toEqual([2, '']);
  });
});
