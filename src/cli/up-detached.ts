/**
 * `tierdown up -d`: starts a background tierdown — `up` without `-d`, in its
 * own session (setsid), its output in `<state folder>/tierdown.log` — waits
 * until it says the stack is ready (or that the start failed), prints the
 * summary and returns. The background `up` is an ordinary `up`: `down`, `ps`,
 * `logs` and `restart` reach it over its control socket, and its watchdog
 * guards the services as in the foreground.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/index.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import { probeSocket } from './control/client.js';
import { ControlError } from './control/errors.js';
import { controlDir, ensureControlDir, socketPath, stateDir } from './control/paths.js';
import { EXIT, line, type CliIO } from './io.js';
import { printStatus } from './ps.js';
import { cappedFileStream } from './logs/capped-file.js';

/** Tells the background `up` where its own output goes (it takes the variable out of its environment). */
const LOG_VARIABLE = 'TIERDOWN_DETACHED_LOG';

/**
 * In the background `up`: its output goes to `tierdown.log`, capped at 10 MiB and
 * rotated once like the services' logs (docs/security.md#log-caps), instead of
 * straight to the inherited file, where a chatty service would grow it for ever.
 */
export function backgroundIo(io: CliIO): CliIO {
  const file = io.env[LOG_VARIABLE];
  if (!file) return io;
  // Not passed on to the services (their environment is the engine's).
  delete io.env[LOG_VARIABLE];
  const log = cappedFileStream(file);
  return { ...io, stdout: log, stderr: log };
}

/** What the background `up` tells the `up -d` that launched it, over the IPC channel. */
export type LauncherMessage = { type: 'ready' } | { type: 'startFailed'; message: string };

const DETACH_FLAGS = ['-d', '--detach'];

export function wantsDetach(argv: string[]): boolean {
  return argv.some((arg) => DETACH_FLAGS.includes(arg));
}

/** In the background `up`: tells the launching `up -d` how the start went (no-op in the foreground). */
export function notifyLauncher(message: LauncherMessage): void {
  if (!process.send || !process.connected) return;
  process.send(message, undefined, {}, () => {
    // Once told, the launcher is gone: let go of the channel so nothing depends on it.
    if (process.connected) process.disconnect();
  });
}

function tail(file: string, lines: number): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}

/** Resolves with the launcher message, or with the exit status if the background `up` ended first. */
function outcome(child: ChildProcess): Promise<LauncherMessage | { type: 'exited'; status: number }> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message as LauncherMessage));
    child.once('exit', (code) => resolve({ type: 'exited', status: code ?? EXIT.failed }));
    child.once('error', () => resolve({ type: 'exited', status: EXIT.failed }));
  });
}

export async function upDetached(argv: string[], io: CliIO): Promise<number> {
  const forwarded = argv.filter((arg) => !DETACH_FLAGS.includes(arg));
  const { values } = parseCommandArgs(forwarded, COMMON_OPTIONS);
  // Bad config: exit 2 here, with the messages, before anything runs in the background.
  const config = await loadConfig(values.config, io.cwd);
  const socket = socketPath(config.source, io.env);
  if ((await probeSocket(socket)) === 'live') {
    throw new ControlError('TIERDOWN_ALREADY_RUNNING', `another 'tierdown up' is already running for ${config.source} (control socket ${socket})`);
  }
  ensureControlDir(controlDir(io.env));
  const dir = stateDir(config.source, io.env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const logFile = path.join(dir, 'tierdown.log');
  // Appended to, by the background `up`'s capped writer and by anything Node itself prints there.
  const output = openSync(logFile, 'a', 0o600);
  ftruncateSync(output);
  const entry = fileURLToPath(new URL('./bin.js', import.meta.url));
  // The config by its resolved path: the background `up` runs wherever it was started from.
  const args = [entry, 'up', '-c', config.source, ...withoutConfigFlag(forwarded)];
  const child = spawn(process.execPath, args, {
    cwd: io.cwd,
    env: { ...io.env, NO_COLOR: '1', [LOG_VARIABLE]: logFile },
    detached: true,
    stdio: ['ignore', output, output, 'ipc'],
  });
  closeSync(output);
  const result = await outcome(child);
  if (result.type === 'ready') {
    child.disconnect();
    child.unref();
    // Counted from this command's own start (the process's time origin), as `up` counts its own.
    line(io.stdout, `tierdown: ${config.services.length} services ready in ${Math.round(performance.now())} ms, supervised in the background (pid ${child.pid}, log ${logFile})`);
    await printStatus(config.source, io, false).catch(() => undefined);
    line(io.stdout, `'tierdown ps', 'tierdown logs -f', 'tierdown down' follow it.`);
    return EXIT.ok;
  }
  // The start failed: the background `up` stops what it started and exits; its log says why.
  const status =
    result.type === 'exited'
      ? result.status
      : (child.exitCode ?? (await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? EXIT.failed)))));
  line(io.stderr, `tierdown up -d: the start failed${result.type === 'startFailed' ? `: ${result.message}` : ''} (log ${logFile}):`);
  for (const text of tail(logFile, 20)) line(io.stderr, `  ${text}`);
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
