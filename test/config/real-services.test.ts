// The keys real servers need (docs/real-services.md): `stop` for tiers with a
// `command` step, a service's own `signal`, and `user`/`group`.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Problems } from '../../src/config/problems.js';
import { resolveRunAs, type Host } from '../../src/config/run-as.js';
import { plannedService } from '../../src/engine/plan.js';
import { LOCAL, problemsOf, resolve, serviceOf, serviceProblems } from './helpers.js';

const PG = { steps: ['command', 'sigterm', 'forceKill'], signal: 'SIGINT' };
const withTier = (services: Record<string, unknown>) => ({ version: 1, tiers: { pg: PG }, services });

describe('stop command', () => {
  it('takes argv and a timeout; the budget becomes timeouts.command (default 10s)', () => {
    const config = resolve(withTier({ db: { ...LOCAL, tier: 'pg', stop: { command: ['pg_ctl', 'stop', '-m', 'fast'], timeout: '3s' } } }));
    expect(config.services[0].stop).toEqual({ command: ['pg_ctl', 'stop', '-m', 'fast'] });
    expect(config.services[0].timeouts.command).toBe(3000);
    expect(plannedService(config.services[0]).steps).toEqual(['command', 'sigterm', 'forceKill']);
    expect(serviceOf({ db: { ...LOCAL, stop: { command: ['x'] } } }).timeouts.command).toBe(10_000);
  });

  it('a tier with a command step needs stop.command, as http needs a URL', () => {
    expect(problemsOf(withTier({ db: { ...LOCAL, tier: 'pg' } }))).toEqual(['services.db.stop.command: tier "pg" has a command step: set stop.command']);
  });

  it('command is argv, never a shell line; unknown keys and bad durations are named', () => {
    expect(serviceProblems({ db: { ...LOCAL, stop: { command: 'pg_ctl stop' } } })).toEqual([
      'services.db.stop.command: expected a list of strings (argv; it is never run through a shell)',
    ]);
    expect(serviceProblems({ db: { ...LOCAL, stop: { command: ['x'], signal: 'INT' } } })).toEqual(['services.db.stop.signal: unknown key']);
    expect(serviceProblems({ db: { ...LOCAL, stop: { command: ['x'], timeout: 'soon' } } })[0]).toMatch(/^services\.db\.stop\.timeout: expected a duration/);
  });

  it('a remote service may be stopped by a command (e.g. over ssh), keeping http and command', () => {
    const remote = { url: 'http://10.0.0.7:9000', shutdown: { tokenFile: 'token' }, stop: { command: ['ssh', 'db', 'systemctl', 'stop', 'db'] } };
    const service = resolve(withTier({ r: { ...remote, tier: 'pg' } })).services[0];
    expect(plannedService(service).steps).toEqual(['command']);
  });

  it('command sits between http and sigterm in the escalation order', () => {
    expect(problemsOf({ version: 1, tiers: { bad: { steps: ['sigterm', 'command'] } }, services: { a: LOCAL } })).toEqual([
      'tiers.bad.steps: steps must keep the order http, command, sigterm, forceKill',
    ]);
  });
});

describe('signal', () => {
  it("a service's signal overrides its tier's", () => {
    const config = resolve(withTier({ web: { ...LOCAL, tier: 'pg', signal: 'quit', stop: { command: ['x'] } }, other: { ...LOCAL, tier: 'pg', stop: { command: ['x'] } } }));
    expect(plannedService(config.services[0]).signal).toBe('SIGQUIT');
    expect(plannedService(config.services[1]).signal).toBe('SIGINT');
  });

  it('an unknown signal, or one on a remote service, is an error', () => {
    expect(serviceProblems({ web: { ...LOCAL, signal: 'SIGNOPE' } })).toEqual(['services.web.signal: unknown signal "SIGNOPE"']);
    expect(serviceProblems({ r: { url: 'http://10.0.0.7:9000', signal: 'SIGINT', shutdown: { tokenFile: 'token' } } })).toEqual([
      'services.r.signal: only for local services: a remote service has no process to signal',
    ]);
  });
});

describe('user and group', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-accounts-'));
  const passwdFile = path.join(dir, 'passwd');
  const groupFile = path.join(dir, 'group');
  writeFileSync(passwdFile, 'root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL:/var/lib/postgresql:/bin/bash\n');
  writeFileSync(groupFile, 'root:x:0:\npostgres:x:104:\nssl-cert:x:110:postgres\n');
  const asRoot: Host = { passwdFile, groupFile, uid: 0, gid: 0 };
  const asUser: Host = { ...asRoot, uid: 1000, gid: 1000 };
  const run = (raw: { user?: string | number; group?: string | number }, host: Host) => {
    const problems = new Problems();
    const result = resolveRunAs(raw, ['services', 'db'], problems, host);
    return { result, problems: problems.list.map((problem) => `${problem.path}: ${problem.message}`) };
  };

  it('resolves a name to its uid, primary gid and home', () => {
    expect(run({ user: 'postgres' }, asRoot).result).toEqual({ uid: 101, gid: 104, user: 'postgres', home: '/var/lib/postgresql' });
  });

  it('takes numeric ids and group names', () => {
    expect(run({ user: 101, group: 'ssl-cert' }, asRoot).result).toEqual({ uid: 101, gid: 110, user: 'postgres', home: '/var/lib/postgresql' });
    expect(run({ user: '5000', group: 5000 }, asRoot).result).toEqual({ uid: 5000, gid: 5000 });
  });

  it('names an unknown user or group, and a numeric user with no primary group', () => {
    expect(run({ user: 'postgress' }, asRoot).problems).toEqual([`services.db.user: no user "postgress" on this machine (not in ${passwdFile})`]);
    expect(run({ group: 'wheel' }, asRoot).problems).toEqual([`services.db.group: no group "wheel" on this machine (not in ${groupFile})`]);
    expect(run({ user: 5000 }, asRoot).problems).toEqual([`services.db.group: user 5000 has no entry in ${passwdFile}, so no primary group: set group too`]);
  });

  it('another user when tierdown is not root is a config error with the ids', () => {
    expect(run({ user: 'postgres' }, asUser).problems).toEqual([
      'services.db.user: running a service as user "postgres" (uid 101) needs tierdown to run as root; it runs as uid 1000, gid 1000',
    ]);
    // Asking for who tierdown already is needs nothing.
    expect(run({ user: 1000, group: 1000 }, asUser).result).toEqual({ uid: 1000, gid: 1000 });
  });

  it('is only for local services', () => {
    expect(serviceProblems({ r: { url: 'http://10.0.0.7:9000', user: 'postgres', shutdown: { tokenFile: 'token' } } })).toEqual([
      'services.r.user: only for local services: tierdown runs no process for a remote one',
    ]);
  });
});
