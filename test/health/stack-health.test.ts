// What /healthz answers for a set of status rows (docs/containers.md): every required
// service up, or 503 naming who is not; an optional service never counts.
import { describe, expect, it } from '@jest/globals';
import type { LifeState } from '../../machines/life.js';
import { stackHealth } from '../../src/health/server.js';

const row = (name: string, state: LifeState, required = true) => ({ name, state, required });

describe('stackHealth', () => {
  it('names a required service that is unhealthy', () => {
    expect(stackHealth([row('api', 'unhealthy'), row('db', 'ready')])).toEqual({
      healthy: false,
      body: { status: 'unavailable', notReady: { api: 'unhealthy' }, services: { api: 'unhealthy', db: 'ready' } },
    });
  });

  it.each(['unhealthy', 'restarting', 'gave up', 'crashed', 'starting'] as LifeState[])('ignores an optional service that is %s', (state) => {
    expect(stackHealth([row('api', 'ready'), row('worker', state, false)])).toEqual({
      healthy: true,
      body: { status: 'ok', services: { api: 'ready', worker: state } },
    });
  });

  it('does not count a service left down on purpose (stopped: never started, or stopped by stop/down SERVICE), but one that crashed', () => {
    expect(stackHealth([row('api', 'ready'), row('extra', 'stopped')]).healthy).toBe(true);
    expect(stackHealth([row('api', 'ready'), row('db', 'crashed')]).body).toMatchObject({ notReady: { db: 'crashed' } });
    expect(stackHealth([row('api', 'stopped')]).healthy).toBe(false);
  });
});
