/**
 * The process entry of the CLI (bin/tierdown imports it): real streams in,
 * exit status out.
 */
import { runInit, runsAsInit } from '../pid1/init.js';
import { main } from './main.js';
import { exitWhenIdle } from './exit.js';

// A reader that went away (`tierdown up | head`) must not crash a supervisor
// mid-shutdown: output is dropped, the work goes on.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

exitWhenIdle();

const argv = process.argv.slice(2);
// As a container's PID 1, `up` runs under a small init that reaps orphans (docs/containers.md).
if (runsAsInit(argv, process.env)) {
  process.exit(await runInit(process.argv[1], argv));
}

process.exitCode = await main(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
