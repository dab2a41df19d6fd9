// A throw-away PostgreSQL cluster: the binaries found under /usr/lib/postgresql/<version>/bin
// (the newest), a data folder made with initdb in a temporary folder, owned by an
// unprivileged user when we are root (PostgreSQL refuses to run as root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The folder holding initdb, postgres, pg_ctl and pg_controldata, or undefined when PostgreSQL is absent. */
export function findBinaries() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length) return path.join(root, versions[0], 'bin');
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return onPath ? path.dirname(onPath) : undefined;
}

/** Who runs PostgreSQL: ourselves unless root; as root, `postgres` if it exists, else `nobody`. */
export function clusterUser() {
  if (process.getuid() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const entry = passwd.find(([name]) => name === 'postgres') ?? passwd.find(([name]) => name === 'nobody');
  return { name: entry[0], uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** initdb into a fresh temporary folder; the socket lives there too. */
export function createCluster(bin, user, port) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'], { ...as, stdio: 'ignore', env: { ...process.env, LC_ALL: 'C' } });
  const options = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'];
  return { dir, data, port, user, as, options, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `Database cluster state` from pg_controldata: `shut down` after a clean stop, `in production` after a crash. */
export function clusterState(bin, cluster) {
  const text = execFileSync(path.join(bin, 'pg_controldata', ), ['-D', cluster.data], { ...cluster.as, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  return /^Database cluster state:\s+(.*)$/m.exec(text)?.[1].trim();
}

/** Starts the cluster on its own (pg_ctl, waiting), for counting after a stop. */
export function startAlone(bin, cluster) {
  execFileSync(path.join(bin, 'pg_ctl'), ['start', '-w', '-D', cluster.data, '-l', path.join(cluster.dir, 'restart.log'), '-o', cluster.options.join(' ')], { ...cluster.as, stdio: 'ignore' });
}

export function stopAlone(bin, cluster) {
  execFileSync(path.join(bin, 'pg_ctl'), ['stop', '-w', '-D', cluster.data, '-m', 'fast'], { ...cluster.as, stdio: 'ignore' });
}

/** Whether the server's log says it had to recover from a crash at its last start. */
export function recovered(cluster) {
  const log = path.join(cluster.dir, 'restart.log');
  return existsSync(log) && /database system was not properly shut down|automatic recovery in progress/.test(readFileSync(log, 'utf8'));
}
