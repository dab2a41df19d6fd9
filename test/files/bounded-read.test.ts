// readInputFile: files the config names (env_file, tokenFile, ca/cert/key) are
// read only when regular and at most 1 MiB — a FIFO never blocks, /dev/zero
// never fills memory. Everything here lives in a temporary folder of the test's.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputFileError, MAX_INPUT_FILE_BYTES, readInputFile } from '../../src/files/bounded-read.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tierdown-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputFile', () => {
  it('reads a regular file, also through a symlink', () => {
    writeFileSync(path.join(dir, 'a.env'), 'A=1\n');
    symlinkSync(path.join(dir, 'a.env'), path.join(dir, 'link.env'));
    expect(readInputFile(path.join(dir, 'a.env')).toString()).toBe('A=1\n');
    expect(readInputFile(path.join(dir, 'link.env')).toString()).toBe('A=1\n');
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = path.join(dir, 'fifo.env');
    execFileSync('mkfifo', [fifo]);
    expect(() => readInputFile(fifo)).toThrow(new InputFileError(`${fifo} is a FIFO, not a regular file`));
  });

  it('refuses a symlink to a character device (/dev/zero) and a folder', () => {
    symlinkSync('/dev/zero', path.join(dir, 'zero.env'));
    mkdirSync(path.join(dir, 'folder.env'));
    expect(() => readInputFile(path.join(dir, 'zero.env'))).toThrow('is a character device, not a regular file');
    expect(() => readInputFile(path.join(dir, 'folder.env'))).toThrow('is a folder, not a regular file');
  });

  it('refuses a file larger than 1 MiB, and names the limit', () => {
    const big = path.join(dir, 'big.env');
    writeFileSync(big, '');
    truncateSync(big, MAX_INPUT_FILE_BYTES + 1);
    expect(() => readInputFile(big)).toThrow(`${big} is larger than 1 MiB`);
    truncateSync(big, MAX_INPUT_FILE_BYTES);
    expect(readInputFile(big).length).toBe(MAX_INPUT_FILE_BYTES);
  });

  it('stops reading past the limit when the size says nothing (a /proc file reports 0)', () => {
    expect(() => readInputFile('/proc/self/maps', 16)).toThrow('/proc/self/maps is larger than 16 bytes');
  });

  it('says so when the file is missing', () => {
    expect(() => readInputFile(path.join(dir, 'none.env'))).toThrow(`no such file: ${path.join(dir, 'none.env')}`);
  });
});
