// Pure parsing of /proc/<pid>/stat lines as the kernel writes them.
import { describe, expect, it } from '@jest/globals';
import { parseStat } from '../../../src/actors/process/proc-table.js';

// Field 9 (flags) of a running `cat`, and of one in do_exit (PF_EXITING, 0x4, added).
const RUNNING = '1391 (cat) R 1389 1389 500 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 3296056 3133440 383';
const EXITING = '1391 (cat) R 1389 1389 500 0 -1 4194308 99 0 0 0 0 0 0 0 20 0 1 0 3296056 0 0';

describe('parseStat', () => {
  it('reads state, parent, group, session and start time', () => {
    expect(parseStat(RUNNING)).toEqual({ pid: 1391, state: 'R', ppid: 1389, pgid: 1389, sid: 500, startTime: '3296056', exiting: false });
  });

  it('a command name with spaces and parentheses does not shift the fields', () => {
    expect(parseStat(RUNNING.replace('(cat)', '(a) R 9 9 9 (b)'))).toMatchObject({ pid: 1391, state: 'R', ppid: 1389, pgid: 1389, startTime: '3296056' });
  });

  it('a process whose exit has begun is exiting, though its state is not yet Z', () => {
    expect(parseStat(EXITING)).toMatchObject({ state: 'R', exiting: true });
  });

  it('a line without a command name is no entry', () => {
    expect(parseStat('garbage')).toBeUndefined();
  });
});
