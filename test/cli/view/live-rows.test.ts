// The live view's rows as data: state, method, elapsed time and what the
// service waits on, from transition events and status rows (no terminal here).
import { describe, expect, it } from '@jest/globals';
import type { ServiceStatus } from '../../../src/engine/status.js';
import { applyTransition, elapsedOfRow, methodOfRow, newRow, renderRows, SPINNER } from '../../../src/cli/view/live-rows.js';

const move = (service: string, from: string, to: string, atMs: number, reason = 'SHUTDOWN') =>
  ({ type: 'transition', service, from, to, atMs, reason }) as const as Parameters<typeof applyTransition>[1];

describe('live rows', () => {
  it('shows the step being tried while stopping, and how it ended once final', () => {
    const row = newRow('api', 'critical');
    expect(methodOfRow(row)).toBe('-');
    applyTransition(row, move('api', 'idle', 'httpShutdown', 1));
    expect(methodOfRow(row)).toBe('http');
    applyTransition(row, move('api', 'httpShutdown', 'sigterm', 50, 'HTTP_REFUSED'));
    expect(methodOfRow(row)).toBe('signal');
    applyTransition(row, move('api', 'sigterm', 'stopped', 80, 'PROCESS_EXITED'));
    expect(methodOfRow(row)).toBe('signal');
  });

  it('counts time from leaving idle: up to now while stopping, up to the final state after', () => {
    const row = newRow('db');
    expect(elapsedOfRow(row, 500)).toBeUndefined();
    applyTransition(row, move('db', 'idle', 'sigterm', 100));
    expect(elapsedOfRow(row, 350)).toBe(250);
    applyTransition(row, move('db', 'sigterm', 'stopped', 180, 'PROCESS_EXITED'));
    expect(elapsedOfRow(row, 9000)).toBe(80);
  });

  it('says what a service waits on, with a spinner, and never a stale status', () => {
    const row = { startedAt: null, ready: false, health: null, restarts: 0, required: true, lastExit: null, note: null, state: 'stopping' as const };
    const waiting = newRow('db', 'simple');
    const stopping = newRow('api', 'critical');
    applyTransition(stopping, move('api', 'idle', 'httpShutdown', 0));
    const status: ServiceStatus[] = [
      { ...row, name: 'api', tier: 'critical', stopState: 'httpShutdown', pid: 4711, waitingOn: 'reply from /shutdown' },
      { ...row, name: 'db', tier: 'simple', stopState: 'idle', pid: 4712, waitingOn: 'dependents: api' },
    ];
    const [header, api, db] = renderRows([stopping, waiting], status, 120, 3, 200);
    expect(header).toMatch(/service\s+tier\s+state\s+method\s+time\s+waiting on/);
    expect(api).toMatch(new RegExp(`^${SPINNER[3]}\\s+api\\s+critical\\s+httpShutdown\\s+http\\s+120ms\\s+reply from /shutdown$`));
    expect(db).toMatch(/^·\s+db\s+simple\s+idle\s+-\s+-\s+dependents: api$/);

    // The status frame still says httpShutdown after the row moved on: show nothing rather than old news.
    applyTransition(stopping, move('api', 'httpShutdown', 'awaitingExit', 130, 'HTTP_ACCEPTED'));
    expect(renderRows([stopping], status, 140, 0, 200)[1]).not.toContain('reply from');
  });

  it('shows a service that ended before the stop as the engine says it: gave up, not idle', () => {
    const status: ServiceStatus[] = [
      { name: 'worker', tier: 'simple', state: 'gave up', stopState: null, pid: null, startedAt: null, ready: false, health: null, restarts: 5, required: true, lastExit: null, note: 'gave up after 5 restarts (max_restarts); it stays down', waitingOn: '' },
    ];
    const [, worker] = renderRows([newRow('worker', 'simple')], status, 0, 0, 200);
    expect(worker).toMatch(/^·\s+worker\s+simple\s+gave up\s+-\s+-$/);
  });

  it('marks final rows and cuts rows to the terminal width', () => {
    const row = newRow('frontend_with_a_long_name', 'simple');
    applyTransition(row, move('frontend_with_a_long_name', 'idle', 'sigterm', 0));
    applyTransition(row, move('frontend_with_a_long_name', 'sigterm', 'failed', 10, 'killTimeout'));
    const [, line] = renderRows([row], [], 20, 0, 30);
    expect(line.startsWith('✖')).toBe(true);
    expect(line).toHaveLength(30);
    expect(line.endsWith('…')).toBe(true);
  });
});
