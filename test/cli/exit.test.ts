// The CLI's exit once a command is done (src/cli/exit.ts): at once with the
// command's status, even while a handle would keep Node's event loop busy, and
// never before what it wrote to stdout has left.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();
const EXIT_MODULE = fileURLToPath(new URL('../../dist/src/cli/exit.js', import.meta.url));
const BYTES = 4 * 1024 * 1024;

/**
 * A process that behaves as a command just done: a ref'd interval left behind
 * (as a handle that closes a turn later), 4 MiB written to stdout — more than a
 * pipe holds —, then `exitWhenDone(3)`.
 */
function finishedCommand() {
  const script = `
    import { exitWhenDone, exitWhenIdle } from ${JSON.stringify(EXIT_MODULE)};
    exitWhenIdle();
    setInterval(() => {}, 1 << 30);
    const chunk = 'x'.repeat(64 * 1024);
    for (let written = 0; written < ${BYTES}; written += chunk.length) process.stdout.write(chunk);
    exitWhenDone(3);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  owned.onCleanup(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  return child;
}

describe('the CLI once a command is done', () => {
  it('exits with the command’s status although a handle is still open, after every byte written to stdout has left', async () => {
    const child = finishedCommand();
    let received = 0;
    child.stdout.on('data', (chunk: Buffer) => (received += chunk.length));
    const ended = new Promise((resolve) => child.stdout.once('end', resolve));
    // Bounded only to catch the hang this guards against: the interval keeps an idle-only exit waiting forever.
    const code = await new Promise<number | null>((resolve) => child.once('exit', (status) => resolve(status)));
    await ended;
    expect(code).toBe(3);
    expect(received).toBe(BYTES);
  }, 30_000);
});
