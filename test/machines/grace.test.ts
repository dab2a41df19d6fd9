// The grace fit and the extension limit: pure functions of machines/ (docs/containers.md).
import { describe, expect, it } from '@jest/globals';
import { fitToGrace, graceMargin } from '../../machines/budget.js';
import { grantableExtension, type ServiceContext } from '../../machines/service.js';

const T = { http: 2000, exit: 5000, sigterm: 5000, kill: 2000 };

describe('fitToGrace', () => {
  const services = [
    { name: 'api', steps: ['http', 'sigterm', 'forceKill'] as const, timeouts: T },
    { name: 'db', steps: ['sigterm', 'forceKill'] as const, timeouts: T },
  ].map((service) => ({ ...service, steps: [...service.steps] }));

  it('leaves budgets alone when the worst case fits', () => {
    const fit = fitToGrace([['api'], ['db']], services, 60_000);
    expect(fit.shrunk).toBe(false);
    expect(fit.timeouts.api).toEqual(T);
    expect(fit.forceAfterMs).toBe(60_000 - graceMargin(60_000));
  });

  it('shrinks every wave by the same factor so the sum fits before the margin', () => {
    const fit = fitToGrace([['api'], ['db']], services, 10_000);
    expect(fit.planned.total).toBe(21_000);
    expect(fit.marginMs).toBe(1000);
    expect(fit.shrunk).toBe(true);
    expect(fit.fitted.total).toBeLessThanOrEqual(9000);
    expect(fit.fitted.perWave[0] / fit.fitted.perWave[1]).toBeCloseTo(14 / 7, 1);
  });
});

describe('grantableExtension', () => {
  const context = { stepStartedAt: 1000, timeouts: { ...T, maxExtend: 3000 } } as ServiceContext;
  it('grants what was asked while the deadline stays within max_extend past the plan', () => {
    expect(grantableExtension(context, 'sigterm', 2000, 2000)).toBe(2000);
  });
  it('clamps at the limit and grants nothing past it', () => {
    // Planned end 6000, limit 9000: at 8000 only 1000 is left; at 9000 nothing.
    expect(grantableExtension(context, 'sigterm', 5000, 8000)).toBe(1000);
    expect(grantableExtension(context, 'awaitingExit', 5000, 9000)).toBe(0);
  });
  it('grants nothing without max_extend', () => {
    expect(grantableExtension({ ...context, timeouts: T } as ServiceContext, 'sigterm', 1000, 6500)).toBe(0);
  });
});
