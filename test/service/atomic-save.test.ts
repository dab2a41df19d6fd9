import { describe, expect, it } from '@jest/globals';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AtomicSaveError, saveStateAtomically } from '../../src/service/index.js';
import { useSandbox } from './support/sandbox.js';

const saver = resolve('test/fixtures/service/atomic-saver.mjs');
const ITEMS = 100_000;

describe('saveStateAtomically', () => {
  const sandbox = useSandbox();
  const dir = async (name: string): Promise<string> => {
    const path = join(sandbox.workDir, name);
    await mkdir(path, { recursive: true });
    return path;
  };

  it('writes strings and bytes as they are, anything else as JSON', async () => {
    const folder = await dir('kinds');
    await saveStateAtomically(join(folder, 'text'), 'plain text');
    await saveStateAtomically(join(folder, 'bytes'), Buffer.from([0, 1, 2]));
    await saveStateAtomically(join(folder, 'json'), { height: 42, peers: ['a'] });
    expect(await readFile(join(folder, 'text'), 'utf8')).toBe('plain text');
    expect([...(await readFile(join(folder, 'bytes')))]).toEqual([0, 1, 2]);
    expect(JSON.parse(await readFile(join(folder, 'json'), 'utf8'))).toEqual({ height: 42, peers: ['a'] });
  });

  it('replaces an existing file and leaves no temporary file behind', async () => {
    const folder = await dir('replace');
    const target = join(folder, 'state.json');
    await writeFile(target, 'old');
    await saveStateAtomically(target, { version: 2 });
    expect(await readFile(target, 'utf8')).toBe('{"version":2}');
    expect(await readdir(folder)).toEqual(['state.json']);
  });

  it('fails with TIERDOWN_SERVICE_SAVE_FAILED and leaves the target untouched', async () => {
    const folder = await dir('fails');
    const missing = join(folder, 'no-such-dir', 'state.json');
    await expect(saveStateAtomically(missing, 'x')).rejects.toMatchObject({ code: 'TIERDOWN_SERVICE_SAVE_FAILED', path: missing });
    const target = join(folder, 'state.json');
    await writeFile(target, 'old');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const error = await saveStateAtomically(target, circular).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AtomicSaveError);
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(folder)).toEqual(['state.json']);
  });

  it('leaves one complete version when SIGKILLed at random moments during repeated saves', async () => {
    const target = join(await dir('sigkill'), 'state.json');
    const seen = new Set<string>();
    for (let kill = 0; kill < 6; kill += 1) {
      const child = sandbox.children.start(saver, [target, String(ITEMS)], {
        ...process.env,
        TIERDOWN_SERVICE_MODULE: sandbox.moduleUrl,
      });
      await child.waitForLine((line) => line === 'saved');
      await new Promise((done) => setTimeout(done, Math.random() * 150));
      child.process.kill('SIGKILL');
      expect((await child.waitForExit()).signal).toBe('SIGKILL');

      const state = JSON.parse(await readFile(target, 'utf8')) as { version: string; items: string[] };
      expect(['a', 'b']).toContain(state.version);
      expect(state.items).toHaveLength(ITEMS);
      expect(state.items.every((item, i) => item === `${state.version}-${i}`)).toBe(true);
      seen.add(state.version);
    }
    expect(seen.size).toBeGreaterThan(0);
  });
});
