// "Nobody should have to guess what a shutdown is blocked on" (SPEC §6): what
// status() says each service waits on, in the middle of a real stop.
import { describe, expect, it } from '@jest/globals';
import { waitUntil } from '../helpers/wait.js';
import { ownProcesses } from '../helpers/owned.js';
import { startStack } from '../helpers/stack.js';

const owned = ownProcesses();

describe('status', () => {
  it('names the reply, the exit or the dependents each service waits on', async () => {
    const long = { http: '30s', sigterm: '30s' };
    const stack = await startStack(owned.ledger, {
      db: {},
      api: { tier: 'critical', env: { FIX_HTTP: 'hang' }, timeouts: long, depends_on: ['db'] },
      worker: { env: { FIX_SIGTERM: 'ignore', FIX_CHILDREN: '2', FIX_CHILD_SIGTERM: 'ignore' }, timeouts: long, depends_on: ['db'] },
    });
    const stopped = stack.shutdown();
    await waitUntil(() => stack.status().every((row) => row.name === 'db' || (row.stopState !== null && row.stopState !== 'idle')));
    const byName = Object.fromEntries(stack.status().map((row) => [row.name, row]));
    expect(byName.api.waitingOn).toBe('reply from /shutdown');
    expect(byName.worker.waitingOn).toBe(`exit of pid ${byName.worker.pid} and 2 more in its group`);
    expect(byName.db.waitingOn).toBe('dependents: api, worker');
    // Around a service: its row and its dependents' (what they wait on names it), the same rows, in plan order.
    expect(stack.status(['db'])).toEqual(stack.status());
    expect(stack.status(['api'])).toEqual(stack.status().filter((row) => row.name === 'api'));
    expect(stack.status(['worker', 'nosuch'])).toEqual(stack.status().filter((row) => row.name === 'worker'));
    stack.force();
    await stopped;
    expect(stack.status().map((row) => row.waitingOn)).toEqual(['', '', '']);
  });
});
