// The start's rows and plain lines as data: what each service on its way up
// waits on, from status rows alone (no terminal, no engine here).
import { describe, expect, it } from '@jest/globals';
import type { ServiceStatus } from '../../../src/engine/status.js';
import { SPINNER } from '../../../src/cli/view/live-rows.js';
import { renderStartRows, startUnderWay, startWaitLines } from '../../../src/cli/view/start-rows.js';

const NOW = Date.parse('2026-12-04T19:00:10.000Z');
const base = { tier: 'simple', stopState: null, restarts: 0, lastExit: null, note: null, ready: false, waitingOn: '' };
const db: ServiceStatus = { ...base, name: 'db', state: 'ready', pid: 10, startedAt: '2026-12-04T19:00:00.000Z', ready: true };
const api: ServiceStatus = {
  ...base,
  name: 'api',
  tier: 'critical',
  state: 'starting',
  pid: 11,
  startedAt: '2026-12-04T19:00:06.000Z',
  waitingOn: 'http://127.0.0.1:8001/health to answer 2xx (last answer: 503)',
};
const web: ServiceStatus = { ...base, name: 'web', state: 'starting', pid: null, startedAt: null, waitingOn: 'dependencies: api' };

describe('start rows', () => {
  it('shows each service: ready ones ticked with how long they took, the rest with what they wait on', () => {
    const [header, dbRow, apiRow, webRow] = renderStartRows([db, api, web], NOW, 2, 200, new Map([['db', 312]]));
    expect(header).toMatch(/^\s+service\s+tier\s+state\s+time\s+waiting on$/);
    expect(dbRow).toMatch(/^✔\s+db\s+simple\s+ready\s+312ms$/);
    expect(apiRow).toBe(`${SPINNER[2]}  api      critical  starting  4s     http://127.0.0.1:8001/health to answer 2xx (last answer: 503)`);
    expect(webRow).toMatch(/^·\s+web\s+simple\s+starting\s+-\s+dependencies: api$/);
  });

  it('marks a service that ended badly, and cuts rows to the terminal width', () => {
    const crashed: ServiceStatus = { ...base, name: 'worker', state: 'gave up', pid: null, startedAt: '2026-12-04T19:00:00.000Z' };
    const rows = renderStartRows([crashed, api], NOW, 0, 40, new Map());
    expect(rows[1]).toMatch(/^✖\s+worker\s+simple\s+gave up\s+-$/);
    expect(rows[2]).toHaveLength(40);
    expect(rows[2].endsWith('…')).toBe(true);
  });

  it('is under way while any service is starting or restarting, over once all are up or ended', () => {
    expect(startUnderWay([db, api])).toBe(true);
    expect(startUnderWay([db, { ...api, state: 'restarting' }])).toBe(true);
    expect(startUnderWay([db, { ...api, state: 'ready' }, { ...web, state: 'crashed' }])).toBe(false);
  });
});

describe('start lines (plain view)', () => {
  it('prints what a service waits on once per change, and again after it restarts', () => {
    const lines = startWaitLines();
    expect(lines([db, web])).toEqual(['web: waiting for dependencies: api']);
    expect(lines([db, web])).toEqual([]);
    expect(lines([db, api])).toEqual([`api: waiting for ${api.waitingOn}`]);
    expect(lines([db, { ...api, waitingOn: 'http://127.0.0.1:8001/health to answer 2xx (last answer: ECONNREFUSED)' }])).toEqual([
      'api: waiting for http://127.0.0.1:8001/health to answer 2xx (last answer: ECONNREFUSED)',
    ]);
    expect(lines([db, { ...api, state: 'ready', waitingOn: '' }])).toEqual([]);
    expect(lines([db, { ...api, state: 'restarting' }])).toEqual([`api: waiting for ${api.waitingOn}`]);
  });
});
