// Big and deep inputs through the real binary: no command may die of
// "Maximum call stack size exceeded" (a spread of an unbounded array into a
// call, or recursion on the input's depth). Inputs are generated into the
// test's own folders; each case runs in seconds.
import { describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { logsDir } from '../../src/cli/control/paths.js';
import { formatLogLine } from '../../src/cli/logs/format.js';
import { configDir, runCli, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';

jest.setTimeout(120_000);
const owned = ownProcesses();

function folder(text = 'version: 1\nservices:\n  api: { command: [sleep, "1"] }\n') {
  const made = configDir(text);
  owned.onCleanup(made.cleanup);
  return { ...made, env: { XDG_RUNTIME_DIR: path.join(owned.ledger.dir, 'run') } };
}

describe('big inputs', () => {
  it('logs prints 400,000 stored lines of a service', async () => {
    const { dir, file, env } = folder();
    const logs = logsDir(file, env);
    mkdirSync(logs, { recursive: true, mode: 0o700 });
    const at = new Date('2026-01-01T00:00:00Z');
    const lines: string[] = [];
    for (let index = 0; index < 400_000; index++) lines.push(formatLogLine('stdout', `line ${index}`, at));
    writeFileSync(path.join(logs, 'api.log'), lines.join(''));
    // startCli: its output is more than execFile's buffer takes.
    const logsCli = startCli(['logs'], { cwd: dir, env });
    owned.onCleanup(logsCli.kill);
    const result = await logsCli.exited;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const printed = result.stdout.trimEnd().split('\n');
    expect(printed).toHaveLength(400_000);
    expect(printed.at(-1)).toBe('api | line 399999');
  });

  it('view prints the timeline of a report with 200,000 transitions (a table of 200,000 rows) and serves it', async () => {
    const { dir } = folder();
    const transitions = Array.from({ length: 200_000 }, (_, index) => ({ to: index % 2 ? 'sigterm' : 'idle', atMs: index, reason: 'EXTEND' }));
    const service = { name: 'api', tier: 'simple', wave: 0, outcome: 'stopped', method: 'signal', path: transitions.map((move) => move.to), transitions, durationMs: 1, verified: true };
    writeFileSync(path.join(dir, 'r.json'), JSON.stringify({ outcome: 'stopped', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 200_000, waves: [['api']], services: [service] }));
    const view = startCli(['view', 'r.json'], { cwd: dir });
    owned.onCleanup(view.kill);
    await view.waitFor('visualizer: http://127.0.0.1:', 60_000);
    const timeline = view.output().split('\n').filter((text) => text.includes('EXTEND'));
    expect(timeline).toHaveLength(200_000);
    expect(timeline.at(-1)).toMatch(/^\s+\+200s\s+api\s+idle → sigterm\s+EXTEND$/);
    view.child.kill('SIGINT');
    expect((await view.exited).status).toBe(0);
  });

  it('view refuses a report nested 200,000 deep, with a message (exit 2)', async () => {
    const { dir } = folder();
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    writeFileSync(path.join(dir, 'r.json'), `{"outcome":"stopped","startedAt":"x","durationMs":1,"waves":[],"services":[],"x":${deep}}`);
    const result = await runCli(['view', 'r.json'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`tierdown view: ${path.join(dir, 'r.json')}: nested more than 64 levels deep; not a tierdown report\n`);
  });

  it('validate plans a depends_on chain of 5,000 services', async () => {
    let text = 'version: 1\nservices:\n';
    for (let index = 0; index < 5000; index++) text += `  s${index}: { command: [sleep, "1"]${index ? `, depends_on: [s${index - 1}]` : ''} }\n`;
    const { dir } = folder(text);
    const result = await runCli(['validate'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('valid — 5000 services, 5000 stop waves');
  });
});
