import { describe, it, expect } from '@jest/globals';
import { DEFAULT_TIMEOUTS } from '../../src/config/defaults.js';
import { LOCAL, resolve } from './helpers.js';

describe('timeouts are merged: built-in defaults ← defaults.timeouts ← tier ← service', () => {
  const config = resolve({
    version: 1,
    defaults: { timeouts: { http: '1s', exit: '6s' } },
    tiers: { drain: { timeouts: { exit: '7s', sigterm: '8s' } } },
    services: {
      plain: LOCAL,
      drained: { ...LOCAL, tier: 'drain' },
      own: { ...LOCAL, tier: 'drain', timeouts: { sigterm: '9s', kill: 100 } },
    },
  });
  const timeoutsOf = (name: string) => config.services.find((service) => service.name === name)?.timeouts;

  it('uses the built-in defaults for anything nobody sets', () => {
    expect(resolve({ version: 1, services: { plain: LOCAL } }).services[0].timeouts).toEqual(DEFAULT_TIMEOUTS);
    expect(DEFAULT_TIMEOUTS).toEqual({ http: 2000, exit: 5000, sigterm: 5000, kill: 2000 });
  });

  it('lets defaults.timeouts override the built-in defaults, in every tier', () => {
    expect(timeoutsOf('plain')).toEqual({ http: 1000, exit: 6000, sigterm: 5000, kill: 2000 });
    expect(config.tiers.critical.timeouts).toEqual({ http: 1000, exit: 6000, sigterm: 5000, kill: 2000 });
  });

  it("lets a tier's timeouts override defaults.timeouts", () => {
    expect(config.tiers.drain.timeouts).toEqual({ http: 1000, exit: 7000, sigterm: 8000, kill: 2000 });
    expect(timeoutsOf('drained')).toEqual({ http: 1000, exit: 7000, sigterm: 8000, kill: 2000 });
  });

  it("lets a service's timeouts override its tier's", () => {
    expect(timeoutsOf('own')).toEqual({ http: 1000, exit: 7000, sigterm: 9000, kill: 100 });
  });

  it('leaves the tier itself untouched by a service override', () => {
    const own = config.services.find((service) => service.name === 'own');
    expect(own?.tier.timeouts.sigterm).toBe(8000);
  });

  it('ignores timeouts given as undefined by a program', () => {
    const service = resolve({ version: 1, services: { api: { ...LOCAL, timeouts: { exit: undefined } } } }).services[0];
    expect(service.timeouts.exit).toBe(5000);
  });
});

describe('the resolved config', () => {
  it('keeps its source and the services in file order', () => {
    const config = resolve({ version: 1, services: { zeta: LOCAL, alpha: LOCAL, mid: LOCAL } });
    expect(config.source).toBe('/srv/stack/tierdown.yaml');
    expect(config.services.map((service) => service.name)).toEqual(['zeta', 'alpha', 'mid']);
  });
});
