// Where `up` puts its control socket: one per config file, found again by
// `down` from any path to that file, in a folder only the user can enter.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { controlDir, ensureControlDir, socketPath } from '../../../src/cli/control/paths.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tierdown-paths-'));
  env = { XDG_RUNTIME_DIR: path.join(dir, 'run') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('control socket paths', () => {
  it('lives in $XDG_RUNTIME_DIR/tierdown, else a per-user folder in the temp dir', () => {
    expect(controlDir({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/tierdown');
    expect(path.basename(controlDir({}))).toBe(`tierdown-${process.getuid!()}`);
  });

  it('names the socket after the real path of the config, so a symlink to the file finds the same up', () => {
    const file = path.join(dir, 'tierdown.yaml');
    writeFileSync(file, 'version: 1\n');
    symlinkSync(file, path.join(dir, 'link.yaml'));
    expect(socketPath(path.join(dir, 'link.yaml'), env)).toBe(socketPath(file, env));
    expect(path.dirname(socketPath(file, env))).toBe(path.join(dir, 'run', 'tierdown'));
    expect(socketPath(path.join(dir, 'other.yaml'), env)).not.toBe(socketPath(file, env));
  });

  it('closes an existing run folder to other users', () => {
    const open = path.join(dir, 'open');
    mkdirSync(open, { mode: 0o777 });
    ensureControlDir(open);
    expect(statSync(open).mode & 0o777).toBe(0o700);
  });
});

