/**
 * The process entry of the CLI (bin/tierdown imports it): real streams in,
 * exit status out.
 */
import { main } from './main.js';

// A reader that went away (`tierdown up | head`) must not crash a supervisor
// mid-shutdown: output is dropped, the work goes on.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
