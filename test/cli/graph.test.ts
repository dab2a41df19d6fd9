// `tierdown graph` through the real binary: Mermaid for docs, JSON for Stately's
// tools, and one service's statechart as its tier configures it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configDir, runCli } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function emptyDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-graph-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const STACK = `version: 1
services:
  db: { command: [node, db.js], tier: simple }
  api: { command: [node, api.js], port: 8001, tier: critical, depends_on: [db] }
`;

describe('tierdown graph', () => {
  it('prints the service, orchestrator, stop, start sequence, supervisor and health statecharts as Mermaid without any config', async () => {
    const result = await runCli(['graph'], { cwd: emptyDir() });
    expect(result.status).toBe(0);
    expect(result.stdout.match(/^stateDiagram-v2$/gm)).toHaveLength(6);
    expect(result.stdout).toContain('unhealthy --> restartAsked: always [restartsUnhealthy] (from deciding)');
    expect(result.stdout).toContain('idle --> httpShutdown: SHUTDOWN [tierUsesHttp]');
    expect(result.stdout).toContain('asking --> verifying: always [allEnded]');
  });

  it('prints the machine config as JSON', async () => {
    // Without --machine, JSON is the service machine alone: one config, as Stately imports it.
    const result = await runCli(['graph', '--format', 'json'], { cwd: emptyDir() });
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.id).toBe('service');
    expect(Object.keys(json.states)).toEqual(['idle', 'httpShutdown', 'stopCommand', 'awaitingExit', 'sigterm', 'forceKill', 'stopped', 'failed']);
  });

  it('--service draws only what that service can reach', async () => {
    const made = configDir(STACK);
    cleanups.push(made.cleanup);
    const result = await runCli(['graph', '--service', 'db'], { cwd: made.dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('%% db: tier simple');
    expect(result.stdout).not.toContain('httpShutdown');
    expect(result.stdout).toContain('idle --> sigterm: SHUTDOWN [tierUsesSigterm]');
  });

  it('rejects an unknown format or service with status 2', async () => {
    const made = configDir(STACK);
    cleanups.push(made.cleanup);
    const format = await runCli(['graph', '--format', 'dot'], { cwd: made.dir });
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('--format: expected "mermaid" or "json", got "dot"');
    const service = await runCli(['graph', '--service', 'nope'], { cwd: made.dir });
    expect(service.status).toBe(2);
    expect(service.stderr).toContain('unknown service "nope" (known: db, api)');
  });
});
