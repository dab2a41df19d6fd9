/**
 * The CLI on the real process: real streams in, exit status out. Shared by the
 * full entry (bin.ts) and the bundled cold-start entry (cold.ts).
 */
import { main } from './main.js';

export async function runCli(argv: string[]): Promise<number> {
  // A reader that went away (`tierdown up | head`) must not crash a supervisor
  // mid-shutdown: output is dropped, the work goes on.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}
