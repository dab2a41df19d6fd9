/**
 * `user:` and `group:` (docs/real-services.md): a name or a numeric id, resolved
 * against /etc/passwd and /etc/group when the config is loaded, so a typo is a
 * config error (exit 2) rather than a service that fails to start. Only root
 * can run a service as someone else: asking for another user when tierdown is
 * not root is a config error too, with the ids involved.
 */
import { readFileSync } from 'node:fs';
import type { ConfigPath, Problems } from './problems.js';
import type { RunAs } from './types.js';

/** Where accounts are looked up and who tierdown runs as; tests pass their own. */
export interface Host {
  passwdFile: string;
  groupFile: string;
  uid: number;
  gid: number;
}

export function currentHost(): Host {
  return { passwdFile: '/etc/passwd', groupFile: '/etc/group', uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
}

interface Account {
  name: string;
  id: number;
  /** passwd only: primary group and home. */
  gid?: number;
  home?: string;
}

// Both files are `name:password:id:...` lines; passwd adds the primary gid (4th) and home (6th).
function accounts(file: string): Account[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 3 && /^\d+$/.test(fields[2]))
    .map(([name, , id, gid, , home]) => ({
      name,
      id: Number(id),
      ...(gid !== undefined && /^\d+$/.test(gid) ? { gid: Number(gid) } : {}),
      ...(home ? { home } : {}),
    }));
}

const isId = (value: string | number) => typeof value === 'number' || /^\d+$/.test(value);

function find(list: Account[], value: string | number): Account | undefined {
  return isId(value) ? list.find((entry) => entry.id === Number(value)) : list.find((entry) => entry.name === value);
}

/**
 * Resolves a service's `user`/`group`, adding a problem for an unknown name or
 * a switch tierdown cannot make.
 *
 * @returns the ids, `undefined` when neither key is set, or `false` after a problem.
 */
export function resolveRunAs(
  raw: { user?: string | number; group?: string | number },
  servicePath: ConfigPath,
  problems: Problems,
  host: Host = currentHost(),
): RunAs | undefined | false {
  if (raw.user === undefined && raw.group === undefined) return undefined;
  let uid = host.uid;
  let gid = host.gid;
  let user: Account | undefined;
  if (raw.user !== undefined) {
    user = find(accounts(host.passwdFile), raw.user);
    if (!user && !isId(raw.user)) {
      problems.add([...servicePath, 'user'], `no user ${JSON.stringify(raw.user)} on this machine (not in ${host.passwdFile})`);
      return false;
    }
    uid = user?.id ?? Number(raw.user);
    if (user?.gid === undefined && raw.group === undefined) {
      problems.add([...servicePath, 'group'], `user ${raw.user} has no entry in ${host.passwdFile}, so no primary group: set group too`);
      return false;
    }
    gid = user?.gid ?? gid;
  }
  if (raw.group !== undefined) {
    const group = find(accounts(host.groupFile), raw.group);
    if (!group && !isId(raw.group)) {
      problems.add([...servicePath, 'group'], `no group ${JSON.stringify(raw.group)} on this machine (not in ${host.groupFile})`);
      return false;
    }
    gid = group?.id ?? Number(raw.group);
  }
  if (host.uid !== 0 && (uid !== host.uid || gid !== host.gid)) {
    const key = uid !== host.uid ? 'user' : 'group';
    const wanted = key === 'user' ? `user ${JSON.stringify(raw.user)} (uid ${uid})` : `group ${JSON.stringify(raw.group)} (gid ${gid})`;
    problems.add(
      [...servicePath, key],
      `running a service as ${wanted} needs tierdown to run as root; it runs as uid ${host.uid}, gid ${host.gid}`,
    );
    return false;
  }
  return { uid, gid, ...(user ? { user: user.name } : {}), ...(user?.home ? { home: user.home } : {}) };
}
