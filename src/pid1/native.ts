/**
 * Loads the reaper addon (native/reap.c, built by `npm ci` through node-gyp).
 * Found by walking up from this file to the package root, so it loads the same
 * from src/ (tests) and dist/src/ (the CLI).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TierdownError } from '../errors.js';

export interface ReaperAddon {
  /** Reaps exactly `pid` if it is a zombie child of this process; never blocks. */
  reap(pid: number): boolean;
}

export class ReaperMissingError extends TierdownError<'TIERDOWN_REAPER_MISSING'> {
  override name = 'ReaperMissingError';
  constructor(message?: string) {
    super('TIERDOWN_REAPER_MISSING', message);
  }
}

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'binding.gyp'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new ReaperMissingError('cannot find the tierdown package root (binding.gyp)');
    dir = parent;
  }
  return dir;
}

export function loadReaper(): ReaperAddon {
  const file = path.join(packageRoot(), 'build', 'Release', 'tierdown_reap.node');
  if (!existsSync(file)) {
    throw new ReaperMissingError(`the reaper addon is not built (${file}); run "npm ci" or "npm run install" in the tierdown package`);
  }
  return createRequire(import.meta.url)(file) as ReaperAddon;
}
