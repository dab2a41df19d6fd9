// A stack whose ports and commands come from .env and ${VAR:-default}, started for real
// with `up -d`; then `exec` beside its services, as compose's exec does (docs/cli.md):
// the service's env_file and env, its cwd and user, never its token, COMMAND's status.
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readEnvVar, readProc } from '../../src/actors/process/proc-table.js';
import { configDir, runCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';
import { freePort } from '../helpers/processes.js';
import { FIXTURE } from '../helpers/stack.js';

// Several CLI runs in a row (start, execs, partial stop, stop); each takes seconds on a loaded machine.
jest.setTimeout(180_000);

const owned = ownProcesses();
const root = process.getuid?.() === 0;

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') };
});

interface PsRow {
  name: string;
  pid: number | null;
}

// Services that run as another user cannot write the ledger: every pid `ps` shows is owned too.
async function startStack(text: (ports: { api: number; web: number }) => string) {
  const ports = { api: await freePort(), web: await freePort() };
  const made = configDir(text(ports));
  owned.onCleanup(made.cleanup);
  writeFileSync(path.join(made.dir, '.env'), `NODE=${process.execPath}\nFIXTURE=${FIXTURE}\nAPI_PORT=${ports.api}\nPID_FILE=${owned.ledger.pidFile}\n`);
  writeFileSync(path.join(made.dir, 'api.env'), 'FILE_VAR=from-api-env\n');
  mkdirSync(path.join(made.dir, 'work'));
  const cli = (args: string[], timeoutMs?: number) => runCli(args, { cwd: made.dir, env, timeoutMs });

  const started = await cli(['up', '-d'], 90_000);
  const pids = [Number(/supervised in the background \(pid (\d+)/.exec(started.stdout)?.[1])];
  owned.onCleanup(() => {
    for (const pid of pids) if (pid && readProc(pid)) process.kill(pid, 'SIGKILL');
  });
  expect([started.status, started.stderr]).toEqual([0, '']);
  const rows = JSON.parse((await cli(['ps', '--json'])).stdout) as PsRow[];
  for (const row of rows) if (row.pid) pids.push(row.pid);
  const pidOf = (name: string) => rows.find((row) => row.name === name)?.pid ?? 0;
  return { dir: made.dir, cli, pidOf, ports };
}

const STACK = ({ web }: { web: number }) => `version: 1
defaults: { timeouts: { http: 300ms, exit: 500ms, sigterm: 500ms, kill: 500ms } }
services:
  api:
    command: ["\${NODE}", "\${FIXTURE}", "\${ROLE:-main}"]
    cwd: work
    port: \${API_PORT}
    env_file: api.env
    env: { PORT: "\${API_PORT}", FIX_PID_FILE: "\${PID_FILE}", FIX_HTTP: good, GREETING: "hello \${WHO:-world}", FILE_VAR_AGAIN: "\${FILE_VAR}" }
    ready: { http: /health }
    tier: critical
  web:
    command: ["\${NODE}", "\${FIXTURE}"]
    port: "\${WEB_PORT:-${web}}"
    env: { PORT: "\${WEB_PORT:-${web}}", FIX_PID_FILE: "\${PID_FILE}" }
    ready: { http: /health }
`;

// Run by exec: what COMMAND sees of its environment, folder and ids, as JSON.
const REPORT = `console.log(JSON.stringify({
  greeting: process.env.GREETING ?? null, fileVar: process.env.FILE_VAR ?? null, again: process.env.FILE_VAR_AGAIN ?? null,
  port: process.env.PORT ?? null, token: process.env.TIERDOWN_SHUTDOWN_TOKEN ?? null, marker: process.env.TIERDOWN_SERVICE ?? null,
  cwd: process.cwd(), uid: process.getuid(), gid: process.getgid() }))`;

describe('a stack from .env and ${VAR:-default}, and exec beside it', () => {
  it('starts on the ports and with the commands interpolation gave, and execs as each service runs', async () => {
    const { dir, cli, pidOf, ports } = await startStack(STACK);

    // Ready means /health answered on the interpolated port: .env's for api, the default's for web.
    const api = pidOf('api');
    expect(readFileSync(`/proc/${api}/cmdline`, 'utf8').split('\0').slice(0, 3)).toEqual([process.execPath, FIXTURE, 'main']);
    expect(readEnvVar(api, 'PORT')).toBe(String(ports.api));
    expect(readEnvVar(pidOf('web'), 'PORT')).toBe(String(ports.web));
    // The service has its token; what exec runs never does.
    expect(readEnvVar(api, 'TIERDOWN_SHUTDOWN_TOKEN')).toMatch(/.{16,}/);

    const seen = await cli(['exec', 'api', '--', process.execPath, '-e', REPORT], 30_000);
    expect([seen.status, seen.stderr]).toEqual([0, '']);
    expect(JSON.parse(seen.stdout)).toEqual({
      greeting: 'hello world',
      fileVar: 'from-api-env',
      again: 'from-api-env',
      port: String(ports.api),
      token: null,
      marker: null,
      cwd: path.join(dir, 'work'),
      uid: process.getuid?.(),
      gid: process.getgid?.(),
    });
    // Even when tierdown itself was given a token (run from inside another service).
    const nested = await runCli(['exec', 'api', '--', process.execPath, '-e', REPORT], { cwd: dir, env: { ...env, TIERDOWN_SHUTDOWN_TOKEN: 'outer-token' } });
    expect(JSON.parse(nested.stdout).token).toBeNull();

    // Without `--`, the flags after SERVICE are COMMAND's, as in compose.
    expect((await cli(['exec', 'api', process.execPath, '-e', 'process.exit(7)'])).status).toBe(7);
    expect((await cli(['exec', 'api', '--', process.execPath, '-e', 'process.kill(process.pid, "SIGTERM")'])).status).toBe(128 + 15);
    const missing = await cli(['exec', 'api', '--', 'no-such-program-here']);
    expect([missing.status, missing.stderr]).toEqual([127, expect.stringContaining('program "no-such-program-here" not found')]);

    const unknown = await cli(['exec', 'apj', '--', 'true']);
    expect([unknown.status, unknown.stderr.trim()]).toEqual([2, 'tierdown exec: unknown service "apj" (known: api, web)']);

    // A service the stack stopped runs nothing to exec beside: status 3, as when no stack runs.
    expect((await cli(['down', 'web'], 60_000)).status).toBe(0);
    const stopped = await cli(['exec', 'web', '--', 'true']);
    expect([stopped.status, stopped.stderr]).toEqual([3, expect.stringContaining('web is not running')]);
    expect((await cli(['down'], 60_000)).status).toBe(0);
    const none = await cli(['exec', 'api', '--', 'true']);
    expect([none.status, none.stderr]).toEqual([3, expect.stringContaining("no 'tierdown up' is running for")]);
  });

  (root ? it : it.skip)("runs as the service's user: user: nobody is uid 65534 (skipped unless root: only root runs a service as another user)", async () => {
    const { cli, pidOf } = await startStack(
      ({ web }) => `version: 1
services:
  worker:
    command: ["\${NODE}", "\${FIXTURE}"]
    cwd: /
    user: nobody
    port: ${web}
    env: { PORT: "${web}" }
    ready: { http: /health }
`,
    );
    expect(readProc(pidOf('worker'))).toBeDefined();
    const asNobody = await cli(['exec', 'worker', '--', process.execPath, '-e', REPORT]);
    expect([asNobody.status, asNobody.stderr]).toEqual([0, '']);
    expect(JSON.parse(asNobody.stdout)).toMatchObject({ uid: 65534, gid: 65534, cwd: '/', token: null });
    expect((await cli(['down'], 60_000)).status).toBe(0);
  });

  it('is exit 3 when no stack runs, and exit 2 with the problem when the config is bad', async () => {
    const made = configDir('version: 1\nservices:\n  api: { command: [node, a.js], port: "${API_PORT}" }\n');
    owned.onCleanup(made.cleanup);
    const bad = await runCli(['exec', 'api', '--', 'true'], { cwd: made.dir, env });
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('services.api.port: variable API_PORT is not set')]);
    const idle = await runCli(['exec', 'api', '--', 'true'], { cwd: made.dir, env: { ...env, API_PORT: '8080' } });
    expect(idle.status).toBe(3);
  });
});
