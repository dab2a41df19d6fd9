/**
 * Who listens on a service's port. Before readiness counts and before the
 * run's token is sent, tierdown checks that the listening socket belongs to the
 * service's own processes: a process that took the port first (the service then
 * fails to bind but stays alive) must neither pass for the service nor receive
 * the token. The kernel says which inode listens (/proc/net/tcp{,6}); the
 * service's processes' open files (/proc/<pid>/fd) say whose it is.
 */
import { readdirSync, readlinkSync } from 'node:fs';
export { localPortOf } from '../../config/endpoints.js';
import { cgroupMembers } from './cgroup.js';
import { findServiceProcesses, processSnapshot } from './group.js';
import { readListeningRows } from './listening-table.js';
import { parseListening, socketInode } from './proc-net.js';
import type { ServiceProcess } from './spawn.js';

export type PortOwnership =
  /** Nothing listens on the port. */
  | { kind: 'none' }
  /** Every listening socket on the port is held by one of the service's processes. */
  | { kind: 'owned' }
  /** Something else holds it; `pid` when visible (another user's processes are not). */
  | { kind: 'foreign'; pid?: number };

/** Every listening socket's inode, by port, from /proc/net/tcp{,6}. */
function readListening(): Map<number, Set<string>> {
  const byPort = new Map<number, Set<string>>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readListeningRows(table);
    } catch {
      continue; // No IPv6 on this machine.
    }
    for (const socket of parseListening(text)) {
      const inodes = byPort.get(socket.port);
      if (inodes) inodes.add(socket.inode);
      else byPort.set(socket.port, new Set([socket.inode]));
    }
  }
  return byPort;
}

let listeningThisTurn: Map<number, Set<string>> | undefined;

/**
 * The listening sockets on `port`, from one read of the tables per turn of the
 * event loop: even cut at the last listening row (listening-table.ts), a read
 * formats every listener of the host, and 200 services starting at once asked
 * for it 400 times. A table from earlier in the same turn can
 * only lack a listener bound since: that reads as "nothing listens yet", and the
 * next poll (a later turn) reads afresh.
 */
function listeningInodes(port: number): Set<string> {
  if (!listeningThisTurn) {
    listeningThisTurn = readListening();
    setImmediate(() => (listeningThisTurn = undefined));
  }
  return listeningThisTurn.get(port) ?? new Set();
}

/** True when something listens on `port` now, by the kernel's table (no connect, no handshake). */
export function somethingListens(port: number): boolean {
  return listeningInodes(port).size > 0;
}

/** The socket inodes `pid` holds; null when its files are not ours to look into (EACCES). */
function readableSocketInodesOf(pid: number): Set<string> | null {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    // Gone (nothing held), or another user's (nothing known).
    return (error as NodeJS.ErrnoException).code === 'EACCES' ? null : inodes;
  }
  for (const fd of fds) {
    try {
      const inode = socketInode(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (inode) inodes.add(inode);
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}

function socketInodesOf(pid: number): Set<string> {
  return readableSocketInodesOf(pid) ?? new Set();
}

/** Any visible process holding one of `inodes` (a scan of /proc: only on the failure path). */
function holderOf(inodes: Set<string>, except: ReadonlySet<number>): number | undefined {
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || except.has(pid)) continue;
    for (const inode of socketInodesOf(pid)) if (inodes.has(inode)) return pid;
  }
  return undefined;
}

/**
 * Whether the sockets listening on `port` belong to the processes `pids` (the
 * service's main process, its group and descendants, or its cgroup). `pids` is
 * read lazily: the main process usually holds the socket itself.
 */
export function portOwnership(port: number, pids: Iterable<number>): PortOwnership {
  const listening = listeningInodes(port);
  if (listening.size === 0) return { kind: 'none' };
  const ours = new Set<number>();
  const foreign = new Set(listening);
  let blind = false;
  for (const pid of pids) {
    if (ours.has(pid)) continue;
    ours.add(pid);
    const held = readableSocketInodesOf(pid);
    if (held === null) blind = true;
    for (const inode of held ?? []) foreign.delete(inode);
    if (foreign.size === 0) return { kind: 'owned' };
  }
  const holder = holderOf(foreign, ours);
  // The service runs as a user whose files tierdown cannot read (tierdown is not root):
  // what it cannot see may well be the service's own socket, so only a visible other holder counts.
  if (blind && holder === undefined) return { kind: 'owned' };
  return { kind: 'foreign', pid: holder };
}

// The listening sockets each service was last found to own, by the walk of its /proc/<pid>/fd.
const ownedListeners = new WeakMap<ServiceProcess, Set<string>>();

/**
 * Whether the service `handle` owns what listens on `port`, as portOwnership
 * says, but from one read of the kernel's table when the listeners there are
 * the very sockets it was found to own before (by readiness, typically): a
 * socket's inode is its identity while it exists, so no other process can hold
 * it. This keeps the check off the critical tier's hot path (the stop's POST
 * /shutdown), where walking the service's open files cost several ms.
 */
export function portOwnershipOf(handle: ServiceProcess, port: number): PortOwnership {
  const listening = listeningInodes(port);
  const known = ownedListeners.get(handle);
  if (listening.size > 0 && known && [...listening].every((inode) => known.has(inode))) return { kind: 'owned' };
  const owner = portOwnership(port, serviceProcessIds(handle));
  if (owner.kind === 'owned') ownedListeners.set(handle, new Set([...(known ?? []), ...listening]));
  return owner;
}

/**
 * The processes of a local service, main process first: its cgroup's members
 * where it has one, its group, its descendants and whatever carries its marker (see group.ts).
 */
export function* serviceProcessIds(handle: ServiceProcess): Generator<number> {
  yield handle.pid;
  // In its own cgroup, the service's members are exactly the cgroup's, daemons that left the group included.
  if (handle.cgroup) yield* cgroupMembers(handle.cgroup);
  for (const entry of findServiceProcesses(handle.pid, handle.marker.value, processSnapshot(handle.marker.name))) yield entry.pid;
}

/** A sentence for a port held by something that is not the service. */
export function describeSquatter(port: number, owner: PortOwnership): string {
  const who = owner.kind === 'foreign' && owner.pid !== undefined ? `pid ${owner.pid}` : 'a process tierdown cannot see (another user?)';
  return `port ${port} is held by ${who}, not by this service`;
}
