import { describe, it, expect } from '@jest/globals';
import { DEFAULT_TIMEOUTS } from '../../src/config/defaults.js';
import { LOCAL, problemsOf, resolve, serviceOf } from './helpers.js';

const withTiers = (tiers: Record<string, unknown>, services: Record<string, unknown> = { api: LOCAL }) =>
  ({ version: 1, tiers, services });

describe('built-in tiers', () => {
  const { tiers } = resolve({ version: 1, services: { api: LOCAL } });

  it('critical takes every step', () => {
    expect(tiers.critical).toEqual({ name: 'critical', auto: false, steps: ['http', 'sigterm', 'forceKill'], signal: 'SIGTERM', timeouts: DEFAULT_TIMEOUTS });
  });

  it('simple only signals and kills', () => {
    expect(tiers.simple).toEqual({ name: 'simple', auto: false, steps: ['sigterm', 'forceKill'], signal: 'SIGTERM', timeouts: DEFAULT_TIMEOUTS });
  });

  it('auto carries critical steps and leaves the choice to the runtime', () => {
    expect(tiers.auto).toEqual({ name: 'auto', auto: true, steps: ['http', 'sigterm', 'forceKill'], signal: 'SIGTERM', timeouts: DEFAULT_TIMEOUTS });
  });

  it('are the only tiers of a file that declares none', () => {
    expect(Object.keys(tiers)).toEqual(['auto', 'critical', 'simple']);
  });
});

describe('user tiers', () => {
  it('are added after the built-in ones', () => {
    const { tiers } = resolve(withTiers({ drain: { steps: ['http', 'sigterm', 'forceKill'], signal: 'SIGINT' } }));
    expect(Object.keys(tiers)).toEqual(['auto', 'critical', 'simple', 'drain']);
    expect(tiers.drain).toMatchObject({ auto: false, steps: ['http', 'sigterm', 'forceKill'], signal: 'SIGINT' });
  });

  it('get forceKill as the last resort even when they do not list it', () => {
    const { tiers } = resolve(withTiers({ polite: { steps: ['http', 'sigterm'] }, http_only: { steps: ['http'] } }));
    expect(tiers.polite.steps).toEqual(['http', 'sigterm', 'forceKill']);
    expect(tiers.http_only.steps).toEqual(['http', 'forceKill']);
  });

  it('default to simple steps when they list none', () => {
    expect(resolve(withTiers({ gentle: { signal: 'SIGINT' } })).tiers.gentle.steps).toEqual(['sigterm', 'forceKill']);
  });

  it('accept a signal with or without SIG, in any case, and normalise it', () => {
    const { tiers } = resolve(withTiers({ a: { signal: 'INT' }, b: { signal: 'sighup' }, c: { signal: 'SIGQUIT' } }));
    expect([tiers.a.signal, tiers.b.signal, tiers.c.signal]).toEqual(['SIGINT', 'SIGHUP', 'SIGQUIT']);
  });

  it('may override a built-in tier, keeping its steps', () => {
    const { tiers } = resolve(withTiers({ critical: { signal: 'SIGINT', timeouts: { exit: '8s' } }, auto: { timeouts: { http: 100 } } }));
    expect(tiers.critical).toMatchObject({ auto: false, steps: ['http', 'sigterm', 'forceKill'], signal: 'SIGINT', timeouts: { exit: 8000 } });
    expect(tiers.auto).toMatchObject({ auto: true, timeouts: { http: 100 } });
    expect(Object.keys(tiers)).toEqual(['auto', 'critical', 'simple']);
  });
});

describe('tier problems', () => {
  it('an unknown step names its position and the known steps', () => {
    expect(problemsOf(withTiers({ drain: { steps: ['http', 'sigkill'] } }))).toEqual([
      'tiers.drain.steps.1: unknown step "sigkill" (known: http, command, sigterm, forceKill)',
    ]);
  });

  it('an unknown signal', () => {
    expect(problemsOf(withTiers({ drain: { signal: 'SIGFOO' } }))).toEqual(['tiers.drain.signal: unknown signal "SIGFOO"']);
  });

  it('no steps at all', () => {
    expect(problemsOf(withTiers({ drain: { steps: [] } }))).toEqual([
      'tiers.drain.steps: needs at least one step (known: http, command, sigterm, forceKill)',
    ]);
  });

  it('steps out of escalation order, or listed twice', () => {
    expect(problemsOf(withTiers({ back: { steps: ['sigterm', 'http'] }, twice: { steps: ['sigterm', 'sigterm'] } }))).toEqual([
      'tiers.back.steps: steps must keep the order http, command, sigterm, forceKill',
      'tiers.twice.steps.1: step "sigterm" is listed twice',
    ]);
  });

  it('steps on auto, which chooses its own', () => {
    expect(problemsOf(withTiers({ auto: { steps: ['http'] } }))).toEqual([
      'tiers.auto.steps: the auto tier chooses its own steps at run time; set only signal or timeouts',
    ]);
  });

  it('a service naming an unknown tier gets the list of known ones', () => {
    expect(problemsOf(withTiers({ drain: {} }, { x: { ...LOCAL, tier: 'fast' } }))).toEqual([
      'services.x.tier: unknown tier "fast" (known: auto, critical, simple, drain)',
    ]);
  });

  it('a service naming a broken tier is not blamed for it', () => {
    expect(problemsOf(withTiers({ drain: { steps: ['sigkill'] } }, { x: { ...LOCAL, tier: 'drain' } }))).toEqual([
      'tiers.drain.steps.0: unknown step "sigkill" (known: http, command, sigterm, forceKill)',
    ]);
  });
});

describe('the tier of a service', () => {
  it('is simple for a local service that names none', () => {
    expect(serviceOf({ api: LOCAL }).tier.name).toBe('simple');
  });

  it('is critical for a remote service that names none', () => {
    expect(serviceOf({ ledger: { url: 'http://10.0.0.7:9000', shutdown: { tokenFile: 'token' } } }).tier.name).toBe('critical');
  });

  it('keeps only the http step for a remote service, which has no process to signal', () => {
    expect(serviceOf({ ledger: { url: 'http://10.0.0.7:9000', tier: 'critical', shutdown: { tokenFile: 'token' } } }).tier.steps).toEqual(['http']);
  });

  it('must have an http step for a remote service', () => {
    expect(problemsOf({ version: 1, services: { ledger: { url: 'http://10.0.0.7:9000', tier: 'simple', shutdown: { tokenFile: 'token' } } } })).toEqual([
      'services.ledger.tier: tier "simple" has no http step, and HTTP (or a stop command) is the only way to stop a remote service',
    ]);
  });
});
