// The control socket's name hashes the config's real path without loading node:crypto
// (src/cli/control/path-hash.ts): the digest must be exactly node:crypto's, or a new
// `ps` would look for another socket than the `up` it asks.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../../src/cli/control/path-hash.js';

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 digests of the standard messages', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it("matches node:crypto at every length across the padding's block boundaries, and on UTF-8 paths", () => {
    for (let length = 0; length <= 200; length++) {
      const text = '/home/user/stack/'.repeat(13).slice(0, length);
      expect(sha256Hex(text)).toBe(nodeSha256(text));
    }
    for (const text of ['/srv/café/tierdown.yaml', '/tmp/日本語/スタック.yml', '/x/\u{1F600}/a b/tierdown.json', `/${'é'.repeat(300)}`]) {
      expect(sha256Hex(text)).toBe(nodeSha256(text));
    }
  });
});
