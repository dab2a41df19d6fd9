// `tierdown validate` and config errors through the real binary: what a user
// reads, and the exit statuses of SPEC §6 (0 valid, 2 bad config, never a stack).
import { afterEach, describe, expect, it } from '@jest/globals';
import { configDir, runCli } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function config(text: string, name?: string) {
  const made = configDir(text, name);
  cleanups.push(made.cleanup);
  return made;
}

const STACK = `version: 1
services:
  db: { command: [node, db.js], tier: simple }
  api:
    command: [node, api.js]
    port: 8001
    tier: critical
    timeouts: { exit: 8s }
    depends_on: [db]
  web: { command: [node, web.js], tier: simple, depends_on: [api] }
  admin: { command: [node, admin.js], tier: simple, depends_on: [api] }
`;

describe('tierdown validate', () => {
  it('prints tiers, waves, timeouts and the worst-case shutdown time', async () => {
    const { dir } = config(STACK);
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0: web, admin');
    expect(result.stdout).toContain('1: api');
    expect(result.stdout).toContain('2: db');
    expect(result.stdout).toMatch(/critical\s+http → sigterm → forceKill/);
    // web 5s+2s, api 2s+8s+5s+2s, db 5s+2s
    expect(result.stdout).toContain('worst-case shutdown: 31s (31000 ms)');
  });

  it('puts every service in one wave with --order none', async () => {
    const { file } = config(STACK);
    const result = await runCli(['validate', '-c', file, '--order', 'none', '--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).waves).toEqual([['db', 'api', 'web', 'admin']]);
  });

  it('accepts JSON configs', async () => {
    const { file } = config(JSON.stringify({ version: 1, services: { a: { command: ['true'] } } }), 'stack.json');
    expect((await runCli(['validate', '-c', file])).status).toBe(0);
  });
});

// The case: a stop command of 10 s in a [command, sigterm, forceKill] tier, and a grace of 10 s.
const COMMAND_STACK = `version: 1
tiers:
  pg: { steps: [command, sigterm, forceKill] }
services:
  db:
    command: [node, db.js]
    tier: pg
    stop: { command: [pg_ctl, stop], timeout: 10s }
`;

describe('tierdown validate --grace', () => {
  it('shows every timer a service waits out, the stop command and its exit wait included', async () => {
    const { file } = config(COMMAND_STACK);
    const result = await runCli(['validate', '-c', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/service\s+tier\s+steps\s+http\s+command\s+exit\s+sigterm\s+kill\s+budget/);
    // http -, command 10s, exit 5s (counted after a command that succeeds), sigterm 5s, kill 2s.
    expect(result.stdout).toMatch(/db\s+pg\s+command, sigterm, forceKill\s+-\s+10s\s+5s\s+5s\s+2s\s+22s/);
  });

  it('prints the fit up makes: every budget shrunk, the stop command too, and a worst case that fits', async () => {
    const { file } = config(COMMAND_STACK);
    const result = await runCli(['validate', '-c', file, '--grace', '10s']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('does not fit the grace: worst case 22s (22000 ms) > grace 10s less a 1s margin leaves 9s (9000 ms)');
    // 9 / 22 = 41%: the command's 10 s becomes 4.09 s, not 10 s (which left a fitted plan of 14.9 s).
    expect(result.stdout).toMatch(/db\s+pg\s+command, sigterm, forceKill\s+-\s+4\.09s\s+2\.04s\s+2\.04s\s+818ms\s+9s/);
    expect(result.stdout).toContain('fitted worst-case shutdown: 9s (8998 ms)');
    // The very line up prints when it starts with this grace.
    expect(result.stdout).toContain('grace 10s: worst case 22s does not fit — budgets shrunk wave by wave to 41% (22s → 9s = 9s)');

    const json = JSON.parse((await runCli(['validate', '-c', file, '--grace', '10s', '--json'])).stdout);
    expect(json.grace).toMatchObject({ graceMs: 10_000, availableMs: 9000, fits: false, fittedWorstCaseMs: 8998 });
    expect(json.services[0].fitted.timeouts).toMatchObject({ command: 4090, exit: 2045, sigterm: 2045, kill: 818 });
  });
});

describe('bad config', () => {
  it.each([
    ['an unknown key', 'services:\n  a: { command: [x], colour: red }', 'services.a.colour'],
    ['an unknown tier', 'services:\n  a: { command: [x], tier: fast }', 'services.a.tier'],
    ['a bad duration', 'services:\n  a: { command: [x], timeouts: { exit: soon } }', 'services.a.timeouts.exit: expected a duration like "5s"'],
    ['a missing command and url', 'services:\n  a: { tier: simple }', 'services.a'],
    ['an unknown signal', 'tiers:\n  t: { signal: SIGFOO }\nservices:\n  a: { command: [x], tier: t }', 'tiers.t.signal'],
    ['an unknown step', 'tiers:\n  t: { steps: [sigkill] }\nservices:\n  a: { command: [x], tier: t }', 'tiers.t.steps'],
    ['a dependency cycle', 'services:\n  a: { command: [x], depends_on: [b] }\n  b: { command: [x], depends_on: [a] }', 'a -> b -> a'],
  ])('exits 2 naming the path of %s', async (_kind, body, expected) => {
    const { file } = config(`version: 1\n${body}\n`);
    for (const command of ['validate', 'up', 'down', 'graph']) {
      const result = await runCli([command, '-c', file]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(expected);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('lists every problem, one per line', async () => {
    const { file } = config('version: 1\nservices:\n  a: { command: [x], tier: fast, port: 0 }\n  b: { depends_on: [nope] }\n');
    const result = await runCli(['validate', '-c', file]);
    expect(result.status).toBe(2);
    const problems = result.stderr.split('\n').filter((row) => row.startsWith('  '));
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });

  it('says which file is missing', async () => {
    const result = await runCli(['validate', '-c', '/nonexistent/tierdown.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('/nonexistent/tierdown.yaml');
  });

  it('rejects an unknown flag as a usage error', async () => {
    const result = await runCli(['validate', '--colour']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--colour');
  });
});
