// `tierdown export systemd|kubernetes` and `validate --grace` (docs/containers.md).
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configDir, runCli } from '../helpers/cli.js';

const YAML = `version: 1
services:
  db: { command: [sleep, "100"], timeouts: { sigterm: 5s, kill: 2s } }
  api: { command: [sleep, "100"], port: 28899, tier: critical, depends_on: [db] }
`;
// Worst case: api 2+5+5+2 = 14 s, then db 5+2 = 7 s: 21 s.

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// CI installs systemd-analyze (.ci/run) and must run the check; elsewhere it is skipped, saying why.
const analyzable = hasSystemdAnalyze();
if (!analyzable && process.env.CI === 'true') throw new Error('systemd-analyze is missing in CI');
if (!analyzable) console.log('skipping systemd-analyze verify: not installed');

describe('tierdown export', () => {
  it('prints a Type=notify unit with TimeoutStopSec = worst case plus a margin', async () => {
    const made = configDir(YAML);
    try {
      const result = await runCli(['export', 'systemd', '-c', made.file]);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Type=notify$/m);
      expect(result.stdout).toMatch(/^KillMode=mixed$/m);
      expect(result.stdout).toMatch(/^NotifyAccess=main$/m);
      const stop = Number(/^TimeoutStopSec=(\d+)$/m.exec(result.stdout)?.[1]);
      expect(stop).toBeGreaterThan(21);
      expect(result.stdout).toContain(`"up" "-c" "${made.file}"`);
    } finally {
      made.cleanup();
    }
  });

  (analyzable ? it : it.skip)('prints a unit that systemd-analyze verify accepts', async () => {
    const made = configDir(YAML);
    try {
      const result = await runCli(['export', 'systemd', '-c', made.file]);
      expect(result.status).toBe(0);
      const unit = path.join(made.dir, 'tierdown-test.service');
      writeFileSync(unit, result.stdout);
      // Throws (non-zero exit) when the unit has a bad setting.
      execFileSync('systemd-analyze', ['verify', unit], { stdio: 'pipe' });
    } finally {
      made.cleanup();
    }
  });

  // A folder name is input: a newline in it wrote the rest of the name as a directive line of its own.
  const HOSTILE_FOLDER = 'stack\nExecStartPre=false %n $HOME "q" \\';
  async function exportHostile(made: { dir: string }) {
    const hostile = path.join(made.dir, HOSTILE_FOLDER);
    mkdirSync(hostile);
    writeFileSync(path.join(hostile, 'tierdown.yaml'), YAML);
    return runCli(['export', 'systemd', '-c', path.join(hostile, 'tierdown.yaml')]);
  }

  it('escapes a config folder named with a newline, quotes, % and $, so no extra directive is written', async () => {
    const made = configDir('');
    try {
      const result = await exportHostile(made);
      expect(result.status).toBe(0);
      const directives = result.stdout.split('\n').filter((text) => !text.startsWith('#') && text.includes('='));
      expect(directives.map((text) => text.slice(0, text.indexOf('=')))).toEqual([
        'Description', 'After', 'Wants', 'Type', 'NotifyAccess', 'ExecStart', 'KillMode', 'KillSignal', 'TimeoutStopSec', 'TimeoutStartSec', 'Restart', 'WantedBy',
      ]);
      expect(result.stdout).toContain(`"-c" "${made.dir}/stack\\nExecStartPre=false %%n $$HOME \\"q\\" \\\\/tierdown.yaml"`);
      // WorkingDirectory= cannot hold a newline (no escapes there); tierdown needs none, so it is left out and says so.
      expect(result.stdout).toMatch(/^# WorkingDirectory= left out: /m);
    } finally {
      made.cleanup();
    }
  });

  (analyzable ? it : it.skip)('escapes that folder so that systemd-analyze verify accepts the unit', async () => {
    const made = configDir('');
    try {
      const result = await exportHostile(made);
      expect(result.status).toBe(0);
      const unit = path.join(made.dir, 'tierdown-hostile.service');
      writeFileSync(unit, result.stdout);
      execFileSync('systemd-analyze', ['verify', unit], { stdio: 'pipe' });
    } finally {
      made.cleanup();
    }
  });

  it('prints a Kubernetes container spec with tierdown as entrypoint, the grace from the worst case, probes on --health', async () => {
    const made = configDir(YAML);
    try {
      const result = await runCli(['export', 'kubernetes', '-c', made.file, '--health', '9090']);
      expect(result.status).toBe(0);
      const spec = parse(result.stdout);
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(21);
      const [container] = spec.containers;
      expect(container.command.slice(0, 2)).toEqual(['tierdown', 'up']);
      expect(container.command).toContain('0.0.0.0:9090');
      expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 9090 });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 9090 });
    } finally {
      made.cleanup();
    }
  });

  it('says what it exports', async () => {
    const result = await runCli(['export', 'nomad']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('export: expected "systemd" or "kubernetes", got "nomad"');
  });
});

describe('validate --grace', () => {
  it('exits 1 with the numbers when the worst case does not fit', async () => {
    const made = configDir(YAML);
    try {
      const result = await runCli(['validate', '-c', made.file, '--grace', '10s']);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('does not fit the grace: worst case 21s (21000 ms) > grace 10s less a 1s margin leaves 9s (9000 ms)');
      const fits = await runCli(['validate', '-c', made.file], { env: { TIERDOWN_GRACE: '30s' } });
      expect(fits.status).toBe(0);
      expect(fits.stdout).toContain('fits the grace');
      const bad = await runCli(['validate', '-c', made.file, '--grace', '30']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--grace: expected a duration like "30s", got "30"');
    } finally {
      made.cleanup();
    }
  });

  it('warns when a token would travel in clear text to a host that is not loopback', async () => {
    const made = configDir(`version: 1\nservices:\n  ledger:\n    url: "http://10.0.0.7:9000"\n    shutdown: { tokenFile: token }\n`);
    writeFileSync(path.join(made.dir, 'token'), 'secret');
    try {
      const result = await runCli(['validate', '-c', made.file]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('warning: services.ledger.shutdown: the token would travel in clear text to 10.0.0.7:9000');
    } finally {
      made.cleanup();
    }
  });
});
