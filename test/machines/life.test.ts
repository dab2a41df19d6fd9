// Each service's state as users see it (machines/life.ts), move by move: the
// one state ps, /healthz, the live rows and the page read.
import { describe, expect, it } from '@jest/globals';
import { checked, ended, gaveUp, hasEnded, healthy, NOT_STARTED, readied, restartingUnhealthy, restartScheduled, resumed, spawned, stopping, unhealthy, type ServiceLife } from '../../machines/life.js';

const at = '2026-01-01T00:00:00.000Z';
const up = readied(spawned(NOT_STARTED, 4711, at), true);

describe('a service life', () => {
  it.each([
    ['spawned: starting, with its pid, not ready', spawned(NOT_STARTED, 4711, at), { state: 'starting', pid: 4711, ready: false, startedAt: at }],
    ['its readiness check passed: ready', up, { state: 'ready', ready: true, upAs: 'ready' }],
    ['no readiness check: running once started', readied(spawned(NOT_STARTED, 1, at), false), { state: 'running', ready: true, upAs: 'running' }],
    ['a stop covers it: stopping, not ready, pid kept', stopping(up), { state: 'stopping', ready: false, pid: 4711 }],
    ['stopped by the stop: no pid, its exit kept', ended(stopping(up), { outcome: 'stopped', bySelf: false, exitCode: null, signal: 'SIGTERM' }, at), { state: 'stopped', pid: null, lastExit: { exitCode: null, signal: 'SIGTERM', at } }],
    ['still alive after SIGKILL: failed, pid kept', ended(stopping(up), { outcome: 'failed', bySelf: false, exitCode: null, signal: null }, at), { state: 'failed', pid: 4711, lastExit: null }],
    ['ended by itself, status 0: exited', ended(up, { outcome: 'stopped', bySelf: true, exitCode: 0, signal: null }, at), { state: 'exited', pid: null }],
    ['ended by itself, status 1: crashed', ended(up, { outcome: 'stopped', bySelf: true, exitCode: 1, signal: null }, at), { state: 'crashed', pid: null }],
    ['its policy brings it back: restarting', restartScheduled(ended(up, { outcome: 'stopped', bySelf: true, exitCode: 1, signal: null }, at)), { state: 'restarting' }],
    ['spawned again while restarting: still restarting until ready', spawned(restartScheduled(up), 4712, at), { state: 'restarting', pid: 4712 }],
    ['max_restarts reached: gave up, no pid, and why', gaveUp(restartScheduled(up), 5), { state: 'gave up', pid: null, note: 'gave up after 5 restarts (max_restarts); it stays down' }],
    ['a refused stop rolled back: as it ran before', resumed(stopping(up)), { state: 'ready', ready: true, pid: 4711 }],
    ['its health checks begin: health starting', checked(up), { state: 'ready', health: 'starting' }],
    ['a first check passed: healthy, state unchanged', healthy(checked(up)), { state: 'ready', health: 'healthy' }],
    ['no healthcheck: a pass changes nothing', healthy(up), { health: null }],
    ['a new process: no health yet', spawned(healthy(checked(up)), 4712, at), { health: null }],
    ['its health checks failed: unhealthy, pid kept, not ready, and why', unhealthy(up, 3, 'GET /health answered 503'), { state: 'unhealthy', pid: 4711, ready: false, health: 'unhealthy', note: '3 health checks failed in a row: GET /health answered 503' }],
    ['a check passed again: back to what it was once up', healthy(unhealthy(readied(spawned(NOT_STARTED, 1, at), false), 1, 'x')), { state: 'running', ready: true, health: 'healthy', note: null }],
    ['healthy news for a service that was not unhealthy changes nothing', healthy(stopping(up)), { state: 'stopping' }],
    ['unhealthy news while it stops changes nothing', unhealthy(stopping(up), 3, 'x'), { state: 'stopping', note: null }],
    ['unhealthy and restarted: restarting, and why', restartingUnhealthy(unhealthy(up, 3, 'x'), 'x'), { state: 'restarting', ready: false, note: 'unhealthy (x): restarting' }],
    ['stopped for being unhealthy: still restarting, no pid, its exit kept', ended(restartingUnhealthy(up, 'x'), { outcome: 'stopped', bySelf: false, exitCode: null, signal: 'SIGTERM' }, at), { state: 'restarting', pid: null, lastExit: { exitCode: null, signal: 'SIGTERM', at } }],
    ['its backoff keeps the reason', restartScheduled(restartingUnhealthy(up, 'x')), { state: 'restarting', note: 'unhealthy (x): restarting' }],
    ['rolled back before it was ever up: starting', resumed(stopping(spawned(NOT_STARTED, 1, at))), { state: 'starting', ready: false }],
  ] as [string, ServiceLife, Partial<ServiceLife>][])('%s', (_, life, expected) => {
    expect(life).toMatchObject(expected);
  });

  it('keeps how a service ended when a stop covers it afterwards', () => {
    const crashed = ended(up, { outcome: 'stopped', bySelf: true, exitCode: 1, signal: null }, at);
    expect(stopping(crashed)).toBe(crashed);
    expect(hasEnded(crashed)).toBe(true);
    expect(hasEnded(stopping(up))).toBe(false);
  });
});
