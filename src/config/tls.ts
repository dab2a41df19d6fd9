/**
 * `shutdown.ca`, `shutdown.cert`, `shutdown.key`: PEM files for https shutdown
 * URLs (docs/containers.md). Paths resolve against the config file's folder.
 */
import path from 'node:path';
import type { ConfigPath, Problems } from './problems.js';
import type { RawService } from './schema.js';
import type { ResolvedService } from './types.js';

/** The TLS files of a service; undefined when none are set, null when they have a problem. */
export function tlsOf(
  raw: RawService,
  shutdownUrl: string | undefined,
  servicePath: ConfigPath,
  baseDir: string,
  problems: Problems,
): ResolvedService['tls'] | null | undefined {
  const { ca, cert, key } = raw.shutdown ?? {};
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  const at = [...servicePath, 'shutdown'];
  let fine = true;
  if ((cert === undefined) !== (key === undefined)) {
    problems.add([...at, cert === undefined ? 'cert' : 'key'], 'mutual TLS needs both cert and key');
    fine = false;
  }
  if (!shutdownUrl?.startsWith('https:')) {
    problems.add([...at, ca !== undefined ? 'ca' : 'cert'], 'only for an https:// shutdown URL');
    fine = false;
  }
  if (!fine) return null;
  const resolve = (file: string | undefined) => (file === undefined ? undefined : path.resolve(baseDir, file));
  return { ca: resolve(ca), cert: resolve(cert), key: resolve(key) };
}
