/**
 * The process entry of the full CLI (bin/tierdown imports it for every command
 * the cold-start bundle, cold.ts, does not serve).
 */
import { runInit, runsAsInit } from '../pid1/init.js';
import { exitWhenDone, exitWhenIdle } from './exit.js';
import { runCli } from './run.js';

exitWhenIdle();

const argv = process.argv.slice(2);
// As a container's PID 1, `up` runs under a small init that reaps orphans (docs/containers.md).
if (runsAsInit(argv, process.env)) {
  process.exit(await runInit(process.argv[1], argv));
}

exitWhenDone(await runCli(argv));
