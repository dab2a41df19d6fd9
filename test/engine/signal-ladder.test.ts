// The meaning of each Ctrl-C (SPEC §6). The third one cannot be driven end to
// end without a process that survives SIGKILL, so its rule is checked here.
import { describe, expect, it } from '@jest/globals';
import { createSignalLadder } from '../../src/engine/signal-ladder.js';

describe('signal ladder', () => {
  it('shuts down tiered, then forces, then exits', () => {
    const ladder = createSignalLadder();
    expect([ladder.next(), ladder.next(), ladder.next(), ladder.next()]).toEqual(['shutdown', 'force', 'exit', 'exit']);
  });

  it('starts over after a rollback', () => {
    const ladder = createSignalLadder();
    ladder.next();
    ladder.reset();
    expect(ladder.next()).toBe('shutdown');
  });
});
