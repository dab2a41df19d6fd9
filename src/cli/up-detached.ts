/**
 * `tierdown up -d [SERVICE...]`: starts a background tierdown — `up` without `-d`, in its
 * own session (setsid), its output in `<state folder>/tierdown.log` — waits
 * until it says the stack is ready (or that the start failed), prints the
 * summary and returns. The background `up` is an ordinary `up`: `down`, `ps`,
 * `logs` and `restart` reach it over its control socket, and its watchdog
 * guards the services as in the foreground. On a stack that already runs for
 * this config, it asks that `up` to start what is missing instead (start.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCommandConfig } from './load-config.js';
import { pathInside } from '../files/contained.js';
import { createExclusively } from '../files/safe-write.js';
import { parseCommandArgs } from './args.js';
import { FLAGS } from './commands.js';
import { probeSocket } from './control/client.js';
import { checkServiceNames } from '../engine/service-names.js';
import { startCoveredBy } from '../../machines/start-plan.js';
import { joinRunningStack, RUN_FLAGS } from './start.js';
import { controlDir, ensureControlDir, socketPath, stateDir } from './control/paths.js';
import { parseGrace } from './grace.js';
import { EXIT, line, type CliIO } from './io.js';
import { printStatus } from './ps.js';
import { checkReportPath } from './report-file.js';
import { cappedOutput } from './logs/capped-file.js';

/** Set by `up -d` for the background `up` it starts: cap your output (it takes the variable out of its environment). */
const CAP_VARIABLE = 'TIERDOWN_DETACHED';

/**
 * In the background `up`: its output — the file `up -d` gave it, which becomes
 * `tierdown.log` — is capped at 10 MiB and rotated once like the services' logs
 * (docs/security.md#log-caps), where a chatty service would grow it for ever.
 */
export function backgroundIo(io: CliIO): CliIO {
  if (io.env[CAP_VARIABLE] !== '1') return io;
  // Not passed on to the services (their environment is the engine's).
  delete io.env[CAP_VARIABLE];
  const log = cappedOutput();
  return log ? { ...io, stdout: log, stderr: log } : io;
}

/**
 * What the background `up` tells the `up -d` that launched it, over the IPC
 * channel: that it holds the control socket (it won any race for this config),
 * then how the start went.
 */
export type LauncherMessage = { type: 'listening' } | { type: 'ready' } | { type: 'startFailed'; message: string };

// The background `up` gets the same argv without -d (commands.ts spells it).
const DETACH_FLAGS = [`-${FLAGS.detach.short}`, '--detach'];

/** In the background `up`: tells the launching `up -d` how the start went (no-op in the foreground). */
export function notifyLauncher(message: LauncherMessage): void {
  if (!process.send || !process.connected) return;
  process.send(message, undefined, {}, () => {
    // Once told how the start went, the launcher is gone: let go of the channel so nothing depends on it.
    if (message.type !== 'listening' && process.connected) process.disconnect();
  });
}

function tail(file: string, lines: number): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}

// A service's own output in the log ("api | listening"), and the foreground's closing line: not echoed while starting.
const SERVICE_LINE = /^\S+ \| /;
const FOREGROUND_READY = /Ctrl-C to shut down tiered$/;
const LONGEST_LINE = 16 * 1024;

/**
 * Echoes the background `up`'s own lines (each service's start: spawned, what it
 * waits on, ready) as they reach its log, so a slow start is never a silent
 * terminal (docs/cli.md#what-you-see). The descriptor follows the file through
 * its rename to tierdown.log. Returns a function that stops echoing.
 */
function echoStart(file: string, write: (text: string) => void): () => void {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  const chunk = Buffer.alloc(64 * 1024);
  let offset = 0;
  let partial = '';
  const pump = () => {
    for (let read = readSync(fd, chunk, 0, chunk.length, offset); read > 0; read = readSync(fd, chunk, 0, chunk.length, offset)) {
      offset += read;
      const lines = (partial + chunk.toString('utf8', 0, read)).split('\n');
      partial = lines.pop() ?? '';
      // A line without an end that outgrows any line the engine writes is a service's: dropped.
      if (partial.length > LONGEST_LINE) partial = '';
      for (const text of lines) if (text && !SERVICE_LINE.test(text) && !FOREGROUND_READY.test(text)) write(text);
    }
  };
  const timer = setInterval(pump, 100);
  return () => {
    clearInterval(timer);
    closeSync(fd);
  };
}

type Outcome = { type: 'ready' } | { type: 'startFailed'; message: string } | { type: 'exited'; status: number };

/** Resolves with how the start went, or with the exit status if the background `up` ended first. */
function outcome(child: ChildProcess, onListening: () => void): Promise<Outcome> {
  return new Promise((resolve) => {
    child.on('message', (message: LauncherMessage) => {
      if (message.type === 'listening') onListening();
      else resolve(message);
    });
    child.once('exit', (code) => resolve({ type: 'exited', status: code ?? EXIT.failed }));
    child.once('error', () => resolve({ type: 'exited', status: EXIT.failed }));
  });
}

export async function upDetached(argv: string[], io: CliIO): Promise<number> {
  const forwarded = argv.filter((arg) => !DETACH_FLAGS.includes(arg));
  const { values, positionals: services } = parseCommandArgs(forwarded, 'up');
  // Bad config, report path, grace or service name: exit 2 here, with the messages, before anything runs in the background.
  const config = await loadCommandConfig(values, io);
  checkServiceNames(config, services);
  if (values.report) checkReportPath(values.report, io.cwd);
  parseGrace(values.grace, io.env);
  ensureControlDir(controlDir(io.env));
  const socket = socketPath(config.source, io.env);
  const join = () => joinRunningStack(config, services, io, { command: 'up -d', json: false, ignored: RUN_FLAGS.filter((flag) => values[flag] !== undefined) });
  // Idempotent, as compose's: a socket only this user could have made (probeSocket refuses any other).
  if ((await probeSocket(socket)) === 'live') return join();
  const dir = stateDir(config.source, io.env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The background `up` writes to a log of its own until it holds the control socket; only
  // then does that log become tierdown.log. A second `up -d` racing this one for the same
  // config never truncates or writes into the winner's log (docs/cli.md, the state folder).
  const logFile = pathInside(dir, 'tierdown.log');
  const ownLog = pathInside(dir, `.tierdown.log.${process.pid}.${randomBytes(6).toString('hex')}`);
  const output = createExclusively(ownLog, 0o600);
  // bin/tierdown, as a user's `up` starts: from the `up` bundle (the full CLI only for --ui/--inspect),
  // ~0.6 s of CPU less than dist/src/cli/bin.js per start. Beside this file in dist/ and in the bundle.
  const entry = fileURLToPath(new URL('../../../bin/tierdown', import.meta.url));
  // The config by its resolved path: the background `up` runs wherever it was started from.
  const args = [entry, 'up', '-c', config.source, ...withoutConfigFlag(forwarded)];
  const child = spawn(process.execPath, args, {
    cwd: io.cwd,
    env: { ...io.env, NO_COLOR: '1', [CAP_VARIABLE]: '1' },
    detached: true,
    stdio: ['ignore', output, output, 'ipc'],
  });
  closeSync(output);
  const stopEcho = echoStart(ownLog, (text) => line(io.stdout, text));
  let won = false;
  let log = ownLog;
  const result = await outcome(child, () => {
    won = true;
    try {
      renameSync(ownLog, logFile);
      log = logFile;
    } catch {
      // Removed meanwhile, or the folder changed: the run keeps its log under its private name.
    }
  });
  stopEcho();
  if (result.type === 'ready') {
    child.disconnect();
    child.unref();
    // Counted from this command's own start (the process's time origin), as `up` counts its own.
    const count = services.length ? startCoveredBy(config.services, services).length : config.services.length;
    line(io.stdout, `tierdown: ${count} services ready in ${Math.round(performance.now())} ms, supervised in the background (pid ${child.pid}, log ${log})`);
    await printStatus(config.source, io, false).catch(() => undefined);
    line(io.stdout, `'tierdown ps', 'tierdown logs -f', 'tierdown down' follow it.`);
    return EXIT.ok;
  }
  // The start failed: the background `up` stops what it started and exits; its log says why.
  const status =
    result.type === 'exited'
      ? result.status
      : (child.exitCode ?? (await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? EXIT.failed)))));
  const lines = tail(log, 20);
  if (!won) {
    rmSync(ownLog, { force: true });
    // It lost the race for the control socket: the winner's stack is this config's, as when it had been first.
    if ((await probeSocket(socket).catch(() => 'absent')) === 'live') return join();
  }
  line(io.stderr, `tierdown up -d: the start failed${result.type === 'startFailed' ? `: ${result.message}` : ''}${won ? ` (log ${log})` : ''}:`);
  for (const text of lines) line(io.stderr, `  ${text}`);
  return status === EXIT.badConfig ? EXIT.badConfig : EXIT.failed;
}

function withoutConfigFlag(argv: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '-c' || arg === '--config') index++;
    else if (!arg.startsWith('--config=') && !(arg.startsWith('-c') && arg.length > 2)) kept.push(arg);
  }
  return kept;
}
