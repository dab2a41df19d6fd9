// Writing where the user said (--report): exclusively, never through a link,
// never over anything but a regular file. Links, FIFOs and device nodes are
// made by the test in its own temporary folder.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkWritableTarget, createExclusively, UnsafeTargetError, writeFileSafely } from '../../src/files/safe-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tierdown-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const isRoot = process.getuid?.() === 0;

describe('createExclusively', () => {
  it('does not follow a symlink planted at the name: the link target stays as it was', () => {
    const secret = path.join(dir, 'root-only');
    writeFileSync(secret, 'precious', { mode: 0o600 });
    const planted = path.join(dir, 'r.json.tmp');
    symlinkSync(secret, planted);
    expect(() => createExclusively(planted)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    // A dangling link too: O_EXCL|O_NOFOLLOW never creates the file it points at.
    symlinkSync(path.join(dir, 'would-be-created'), path.join(dir, 'dangling.tmp'));
    expect(() => createExclusively(path.join(dir, 'dangling.tmp'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(secret, 'utf8')).toBe('precious');
    expect(readdirSync(dir).sort()).toEqual(['dangling.tmp', 'r.json.tmp', 'root-only']);
  });
});

describe('writeFileSafely', () => {
  it('replaces a regular file atomically and leaves no temporary file', () => {
    const target = path.join(dir, 'r.json');
    writeFileSync(target, 'old');
    writeFileSafely(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('refuses to replace a symlink, a folder or a FIFO, and leaves them and the link target as they were', () => {
    const elsewhere = path.join(dir, 'elsewhere');
    writeFileSync(elsewhere, 'theirs');
    symlinkSync(elsewhere, path.join(dir, 'link.json'));
    mkdirSync(path.join(dir, 'folder.json'));
    execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
    for (const [name, kind] of [['link.json', 'a symbolic link'], ['folder.json', 'a folder'], ['fifo.json', 'a FIFO']]) {
      expect(() => writeFileSafely(path.join(dir, name), 'report')).toThrow(new UnsafeTargetError(`${path.join(dir, name)} is ${kind}; only a regular file (or nothing) is replaced`));
    }
    expect(lstatSync(path.join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(lstatSync(path.join(dir, 'fifo.json')).isFIFO()).toBe(true);
    expect(readFileSync(elsewhere, 'utf8')).toBe('theirs');
    expect(readdirSync(dir).sort()).toEqual(['elsewhere', 'fifo.json', 'folder.json', 'link.json']);
  });

  (isRoot ? it : it.skip)('refuses a device node made with mknod, which stays a device (root only)', () => {
    const device = path.join(dir, 'full');
    execFileSync('mknod', [device, 'c', '1', '7']); // the same device as /dev/full
    expect(() => writeFileSafely(device, 'report')).toThrow('is a character device; only a regular file (or nothing) is replaced');
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });
});

describe('checkWritableTarget', () => {
  it('accepts nothing or a regular file in a folder where a file can be created, and leaves no trial file', () => {
    writeFileSync(path.join(dir, 'old.json'), '{}');
    checkWritableTarget(path.join(dir, 'new.json'));
    checkWritableTarget(path.join(dir, 'old.json'));
    expect(readdirSync(dir)).toEqual(['old.json']);
  });

  it.each([
    ['/proc/version', 'cannot create a file in the folder /proc'],
    ['/dev/full', '/dev/full is a character device'],
  ])('refuses %s', (target, message) => {
    expect(() => checkWritableTarget(target)).toThrow(message);
  });

  it('refuses a missing folder and a path under a file', () => {
    writeFileSync(path.join(dir, 'file'), '');
    expect(() => checkWritableTarget(path.join(dir, 'missing', 'r.json'))).toThrow(`the folder ${path.join(dir, 'missing')} does not exist`);
    expect(() => checkWritableTarget(path.join(dir, 'file', 'r.json'))).toThrow(`${path.join(dir, 'file')} is not a folder`);
  });
});
