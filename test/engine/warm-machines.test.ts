import { describe, expect, it } from '@jest/globals';
import type { PlannedService } from '../../machines/orchestrator.js';
import { warmMachines } from '../../src/engine/warm-machines.js';

const timeouts = { http: 1000, exit: 1000, sigterm: 1000, kill: 1000 };
const service = (name: string, steps: PlannedService['steps'], local: boolean): PlannedService => ({
  name,
  tier: 'x',
  steps,
  signal: 'SIGTERM',
  timeouts,
  local,
  dependsOn: [],
});

describe('warmMachines', () => {
  it('runs the statecharts start to report on stand-ins, for every kind of service', async () => {
    const services = [
      service('a', ['sigterm', 'forceKill'], true),
      service('b', ['http', 'sigterm', 'forceKill'], true),
      service('c', ['http'], false),
    ];
    expect(await warmMachines({ services, onFailure: 'escalate', order: 'dependency' }, 10_000)).toBe(true);
  });
});
