// Exit detection with real processes: a member of the service that outlives its
// main process keeps the service from `stopped` until it is gone. In a cgroup the
// cgroup's own event (cgroup.events, through inotify) says when: these tests make
// the timer backstop 10 minutes, so an exit that arrives at all came through it.
// Without a cgroup, or when no watch can be had, re-checks on a timer say it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProcessEvent } from '../../../machines/service.js';
import { cgroupMembers, cgroupSupport, removeRunCgroups, runCgroupDir, serviceCgroup } from '../../../src/actors/process/cgroup.js';
import { readProc } from '../../../src/actors/process/proc-table.js';
import { spawnService, type ServiceProcess } from '../../../src/actors/process/spawn.js';
import { watchExit } from '../../../src/actors/process/watch.js';
import { resolveConfig } from '../../../src/config/index.js';
import { createOrchestrator } from '../../../src/index.js';
import { spawnInCgroup } from '../../helpers/cgroup-process.js';
import { ownProcesses } from '../../helpers/owned.js';
import { TEST_TIMING } from '../../helpers/stack.js';
import { waitUntil } from '../../helpers/wait.js';

const owned = ownProcesses();
const support = cgroupSupport();
const withCgroups = support.available ? describe : describe.skip;

/** A backstop no test waits out: an exit seen within the test's bound came from the cgroup's event. */
const WATCH_ONLY_MS = 600_000;

// The member: deaf to SIGTERM, it leaves when a line comes down the test's FIFO.
const MEMBER = 'trap "" TERM; echo $$ >> "$FIX_PID_FILE"; read line < "$FIX_FIFO"';
// The main process: leaves at once (or on SIGTERM), its member lingering in its group and cgroup.
const LEAVES_AT_ONCE = 'echo $$ >> "$FIX_PID_FILE"; /bin/sh -c "$FIX_MEMBER" & exit 0';
const LEAVES_ON_SIGTERM = 'trap "exit 0" TERM; echo $$ >> "$FIX_PID_FILE"; /bin/sh -c "$FIX_MEMBER" & wait';

// Run in order after each test (watches first, then processes, then the folders and cgroups they were in).
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function fifo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-watch-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'member');
  execFileSync('mkfifo', [file]);
  return file;
}

/** Lets the member go: one line down its FIFO, once it is reading (a write-only open without a reader fails). */
async function releaseMember(file: string): Promise<void> {
  await waitUntil(() => {
    try {
      const fd = openSync(file, constants.O_WRONLY | constants.O_NONBLOCK);
      writeSync(fd, 'go\n');
      closeSync(fd);
      return true;
    } catch {
      return false;
    }
  });
}

// The config's env values are interpolated: `$$` is a literal `$`.
const literal = (text: string) => text.replaceAll('$', '$$$$');

const serviceEnv = (file: string) => ({ FIX_PID_FILE: owned.ledger.pidFile, FIX_FIFO: file, FIX_MEMBER: MEMBER });

async function startLingering(file: string, cgroup?: ReturnType<typeof serviceCgroup>): Promise<ServiceProcess> {
  const handle = await spawnService({
    name: 'lingering',
    command: ['/bin/sh', '-c', LEAVES_AT_ONCE],
    cwd: tmpdir(),
    env: serviceEnv(file),
    token: 'test-token',
    marker: `watch-test-${process.pid}/lingering`,
    cgroup,
  });
  // Its pipes must not hold the test's event loop.
  cleanups.push(() => {
    handle.output.stdout?.destroy();
    handle.output.stderr?.destroy();
  });
  return handle;
}

/** The inotify watches this process holds on `file` (from /proc/self/fdinfo; the inode is in hex there). */
function inotifyWatchesOn(file: string): number {
  const inode = `ino:${statSync(file).ino.toString(16)} `;
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== 'anon_inode:inotify') continue;
    for (const line of readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').split('\n')) if (line.startsWith('inotify ') && line.includes(inode)) count++;
  }
  return count;
}

function recorder(probe: () => number[]) {
  const events: { type: ProcessEvent['type']; left: number[] }[] = [];
  return { events, send: (event: ProcessEvent) => events.push({ type: event.type, left: probe() }) };
}

const gone = (pid: number) => {
  const entry = readProc(pid);
  return entry === undefined || entry.state === 'Z';
};

withCgroups('in a cgroup (this host allows them)', () => {
  function testCgroup() {
    const runDir = runCgroupDir(`${process.pid}-watch${Math.random().toString(16).slice(2, 8)}`);
    const cgroup = serviceCgroup(runDir, 'lingering');
    if (!cgroup) throw new Error('cgroups said available, but no service cgroup was made');
    // Once the test's processes are gone: a cgroup is removed only when empty.
    cleanups.push(async () => {
      owned.ledger.killAll();
      await waitUntil(() => cgroupMembers(cgroup.dir).length === 0);
      removeRunCgroups(runDir);
    });
    return cgroup;
  }

  it('a member outliving the main process: MAIN_EXITED, then PROCESS_EXITED only once it is gone, woken by cgroup.events', async () => {
    const cgroup = testCgroup();
    const file = fifo();
    const handle = await startLingering(file, cgroup);
    const { events, send } = recorder(() => cgroupMembers(cgroup.dir));
    const stop = watchExit(handle, send, { firstPollMs: 1, maxPollMs: WATCH_ONLY_MS });
    cleanups.unshift(stop);
    await waitUntil(() => events.length > 0);
    expect(events).toEqual([{ type: 'MAIN_EXITED', left: expect.arrayContaining([expect.any(Number)]) }]);
    await waitUntil(() => owned.ledger.pids().length === 2);
    const member = owned.ledger.pids()[1];
    expect(cgroupMembers(cgroup.dir)).toEqual([member]);
    // Waiting on the cgroup's own event, not on a timer.
    expect(inotifyWatchesOn(path.join(cgroup.dir, 'cgroup.events'))).toBe(1);

    await releaseMember(file);
    await waitUntil(() => events.length === 2);
    expect(events[1]).toEqual({ type: 'PROCESS_EXITED', left: [] });
    expect(gone(member)).toBe(true);
    expect(inotifyWatchesOn(path.join(cgroup.dir, 'cgroup.events'))).toBe(0);
  });

  it('nothing left when the main process exits: PROCESS_EXITED alone (one event for the machine), and no watch is made', async () => {
    const cgroup = testCgroup();
    const handle = await spawnInCgroup(owned, cgroup, `watch-test-${process.pid}/alone`, 'exit 3');
    const { events, send } = recorder(() => cgroupMembers(cgroup.dir));
    cleanups.unshift(watchExit(handle, send, { firstPollMs: 1, maxPollMs: WATCH_ONLY_MS }));
    await waitUntil(() => events.length > 0);
    // PROCESS_EXITED ends the watch: nothing can follow it.
    expect(events).toEqual([{ type: 'PROCESS_EXITED', left: [] }]);
    expect(inotifyWatchesOn(path.join(cgroup.dir, 'cgroup.events'))).toBe(0);
  });

  it('a watch stopped before the member leaves (the machine moved on) closes its watcher', async () => {
    const cgroup = testCgroup();
    const file = fifo();
    const handle = await startLingering(file, cgroup);
    const { events, send } = recorder(() => []);
    const stop = watchExit(handle, send, { firstPollMs: 1, maxPollMs: WATCH_ONLY_MS });
    await waitUntil(() => events.length > 0);
    expect(inotifyWatchesOn(path.join(cgroup.dir, 'cgroup.events'))).toBe(1);
    stop();
    expect(inotifyWatchesOn(path.join(cgroup.dir, 'cgroup.events'))).toBe(0);
    await releaseMember(file);
    await waitUntil(() => cgroupMembers(cgroup.dir).length === 0);
    expect(events.map((event) => event.type)).toEqual(['MAIN_EXITED']);
  });

  it('the engine: a service whose member outlives its SIGTERM-obeying main is stopped only once the member is gone, then verified', async () => {
    const file = fifo();
    const config = resolveConfig(
      {
        version: 1,
        // Neither the sigterm budget nor the re-check timer can end the wait: only the member's leaving can.
        services: {
          lingering: { command: ['/bin/sh', '-c', LEAVES_ON_SIGTERM], env: { ...serviceEnv(file), FIX_MEMBER: literal(MEMBER) }, tier: 'simple', timeouts: { sigterm: '10m' } },
        },
      },
      '<test>',
      owned.ledger.dir,
    );
    const heard: string[] = [];
    const stack = createOrchestrator(config, {
      timing: { ...TEST_TIMING, maxExitPollMs: WATCH_ONLY_MS },
      inspect: (event) => {
        if (event.type === '@xstate.event' && (event.event.type === 'MAIN_EXITED' || event.event.type === 'PROCESS_EXITED')) heard.push(event.event.type);
      },
    });
    cleanups.unshift(async () => {
      if (stack.finished) return;
      stack.force();
      await stack.whenFinished();
    });
    await stack.start();
    await waitUntil(() => owned.ledger.pids().length === 2);
    const [main, member] = owned.ledger.pids();
    let settled = false;
    const stopping = stack.shutdown().finally(() => (settled = true));
    await waitUntil(() => heard.includes('MAIN_EXITED'));
    expect(gone(main)).toBe(true);
    expect(gone(member)).toBe(false);
    expect(settled).toBe(false);
    expect(stack.status()[0].state).toBe('stopping');
    // The engine waits on the member's cgroup's event (the service's cgroup, read from the member's /proc).
    const own = readFileSync(`/proc/${member}/cgroup`, 'utf8').match(/^0::(.*)$/m)?.[1];
    expect(support.available && own !== undefined && inotifyWatchesOn(path.join(support.mount, own, 'cgroup.events'))).toBe(1);

    await releaseMember(file);
    const report = await stopping;
    expect(heard).toEqual(['MAIN_EXITED', 'PROCESS_EXITED']);
    expect(report.services[0]).toMatchObject({ outcome: 'stopped', path: ['idle', 'sigterm', 'stopped'], verified: true, verification: 'cgroup', exitCode: 0 });
    expect(gone(member)).toBe(true);
    await stack.whenFinished();
  });
});

describe('without a cgroup: re-checks on a timer', () => {
  it('a member outliving the main process in its group: PROCESS_EXITED only once it is gone', async () => {
    const file = fifo();
    const handle = await startLingering(file);
    expect(handle.cgroup).toBeUndefined();
    const { events, send } = recorder(() => owned.ledger.pids().filter((pid) => !gone(pid)));
    cleanups.unshift(watchExit(handle, send, { firstPollMs: 1, maxPollMs: 10 }));
    await waitUntil(() => events.length > 0);
    await waitUntil(() => owned.ledger.pids().length === 2);
    const member = owned.ledger.pids()[1];
    expect(events.map((event) => event.type)).toEqual(['MAIN_EXITED']);
    expect(gone(member)).toBe(false);

    await releaseMember(file);
    await waitUntil(() => events.length === 2);
    expect(events[1]).toEqual({ type: 'PROCESS_EXITED', left: [] });
  });

  it('a cgroup whose events cannot be watched (no cgroup.events: the watch is refused) falls back to re-checks', async () => {
    // A folder standing in for a cgroup: its cgroup.procs is what the re-checks read, and fs.watch of its
    // absent cgroup.events throws as a refused watch does (ENOSPC when the inotify watches run out).
    const fake = mkdtempSync(path.join(tmpdir(), 'tierdown-fake-cgroup-'));
    cleanups.push(() => rmSync(fake, { recursive: true, force: true }));
    const file = fifo();
    const handle = await startLingering(file);
    writeFileSync(path.join(fake, 'cgroup.procs'), '4194304\n');
    handle.cgroup = fake;
    const { events, send } = recorder(() => cgroupMembers(fake));
    cleanups.unshift(watchExit(handle, send, { firstPollMs: 1, maxPollMs: 10 }));
    await waitUntil(() => events.length > 0);
    expect(events).toEqual([{ type: 'MAIN_EXITED', left: [4194304] }]);

    writeFileSync(path.join(fake, 'cgroup.procs'), '');
    await waitUntil(() => events.length === 2);
    expect(events[1]).toEqual({ type: 'PROCESS_EXITED', left: [] });
    await releaseMember(file);
  });
});
