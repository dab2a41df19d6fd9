/**
 * Loads the reaper addon (native/reap.c, built by node-gyp when tierdown is
 * installed, if a C compiler is there: it is optional, docs/containers.md).
 * Found by walking up from this file to the package root, so it loads the same
 * from src/ (tests) and dist/src/ (the CLI); `TIERDOWN_REAPER_ADDON` names
 * another file (one built elsewhere for this image).
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

/** Names the addon file instead of the package's build/Release/tierdown_reap.node. */
export const REAPER_ADDON_VARIABLE = 'TIERDOWN_REAPER_ADDON';

/** @throws {ReaperMissingError} when the addon is not built (no C compiler at install) or does not load. */
export function loadReaper(env: NodeJS.ProcessEnv = process.env): ReaperAddon {
  const file = env[REAPER_ADDON_VARIABLE] || path.join(packageRoot(), 'build', 'Release', 'tierdown_reap.node');
  if (!existsSync(file)) {
    throw new ReaperMissingError(`the reaper addon is not built (${file}): building it needs a C compiler — run "npm rebuild tierdown" where one is`);
  }
  try {
    // A native addon is loaded by require; its exports are what native/reap.c defines.
    return createRequire(import.meta.url)(file) as ReaperAddon;
  } catch (error) {
    throw new ReaperMissingError(`the reaper addon ${file} does not load: ${(error as Error).message.split('\n')[0]}`);
  }
}
