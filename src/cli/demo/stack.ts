/**
 * Getting a stack ready for `tierdown demo`: the bundled MediVote config, a
 * fresh state folder per run (so nothing lands in the checkout), and a clear
 * refusal when its fixed ports are already taken.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portOpen } from '../../actors/url-probe.js';
import type { ResolvedConfig } from '../../config/types.js';
import { TierdownError } from '../../errors.js';

/** A demo that cannot run as asked (ports taken); the message says what to do. */
export class DemoError extends TierdownError<'TIERDOWN_DEMO_FAILED'> {
  override name = 'DemoError';
  constructor(message?: string) {
    super('TIERDOWN_DEMO_FAILED', message);
  }
}

// Walks up from this module (src/ under tests, dist/src/ when built) to the package root.
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tierdown') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new DemoError('cannot find the tierdown package folder holding examples/medivote');
    dir = parent;
  }
}

/** The MediVote stack shipped in examples/medivote. */
export function bundledConfigPath(): string {
  return path.join(packageRoot(), 'examples', 'medivote', 'tierdown.yaml');
}

/** The same config with STATE_DIR set for every local service that does not set its own. */
export function withStateDir(config: ResolvedConfig, stateDir: string): ResolvedConfig {
  return {
    ...config,
    services: config.services.map((service) =>
      service.command === undefined || service.env.STATE_DIR !== undefined ? service : { ...service, env: { ...service.env, STATE_DIR: stateDir } },
    ),
  };
}

/**
 * Refuses to start when a local service's port already answers: the stack would
 * fail half-way, or worse, the demo would talk to somebody else's server.
 *
 * @throws {DemoError} naming every busy port and its service.
 */
export async function ensurePortsFree(config: ResolvedConfig): Promise<void> {
  const local = config.services.filter((service) => service.command !== undefined && service.port !== undefined);
  const busy = (await Promise.all(local.map(async (service) => ((await portOpen(service.port!, 500)) ? service : undefined)))).filter(
    (service) => service !== undefined,
  );
  if (busy.length === 0) return;
  const list = busy.map((service) => `${service.port} (${service.name})`).join(', ');
  throw new DemoError(
    `port${busy.length > 1 ? 's' : ''} ${list} already in use on 127.0.0.1 — is another demo or 'tierdown up' of this stack running? Stop it and try again.`,
  );
}
