/**
 * `tierdown exec SERVICE -- COMMAND...` (docs/cli.md), compose's `exec`: runs
 * COMMAND beside a service of the running stack, as that service runs — its
 * environment (tierdown's, then its `env_file`s and `env`, interpolated as the
 * config reads now), its working folder, its `user:`/`group:` — attached to
 * this terminal, and exits with COMMAND's status. Never with a shutdown token:
 * COMMAND is not the service, and must not be able to stop anything.
 */
import { constants } from 'node:os';
import { identityOptions } from '../actors/process/identity.js';
import { readProc } from '../actors/process/proc-table.js';
import { MARKER_VARIABLE } from '../actors/process/spawn.js';
import type { ResolvedService } from '../config/index.js';
import { spawnProblems } from '../config/spawn-checks.js';
import { TOKEN_ENV } from '../protocol.js';
import { parseCommandArgs, UsageError } from './args.js';
import { ControlError } from './control/errors.js';
import { socketPath } from './control/paths.js';
import { openConversation } from './control/request.js';
import { EXIT, line, type CliIO } from './io.js';
import { loadCommandConfig } from './load-config.js';

/** Shell conventions for a command that could not run: found but not runnable, and not found. */
const CANNOT_RUN = 126;
const NOT_FOUND = 127;

// What tierdown's own environment may carry that is not the service's: another run's token and
// marker (tierdown run from inside a service), systemd's notify socket.
const NOT_INHERITED = [TOKEN_ENV, MARKER_VARIABLE, 'NOTIFY_SOCKET'];

/** The environment COMMAND gets: the service's, as spawn.ts builds it, less the token and the marker. */
export function execEnvironment(service: ResolvedService, outer: NodeJS.ProcessEnv): Record<string, string> {
  const base = Object.fromEntries(Object.entries(outer).filter((entry): entry is [string, string] => entry[1] !== undefined && !NOT_INHERITED.includes(entry[0])));
  const env: Record<string, string> = { ...base, ...identityOptions(service.runAs).env, ...service.env };
  delete env[TOKEN_ENV];
  return env;
}

// A status row may keep the pid of a process that has ended: /proc has the last word.
const alive = (pid: number | null) => {
  const entry = pid === null ? undefined : readProc(pid);
  return entry !== undefined && entry.state !== 'Z';
};

/** Whether the running `up` for this config has the service's process running; undefined when no `up` runs. */
async function isRunning(configSource: string, name: string, io: CliIO): Promise<boolean | undefined> {
  try {
    const conversation = await openConversation(socketPath(configSource, io.env), configSource);
    const status = (await conversation.ask({ type: 'status' })).status ?? [];
    return status.some((row) => row.name === name && alive(row.pid));
  } catch (error) {
    if (error instanceof ControlError && error.code === 'TIERDOWN_NOT_RUNNING') return undefined;
    throw error;
  }
}

/** Runs `command` attached to this terminal; resolves with its exit status (128 + signal number for a signal). */
async function runAttached(command: string[], options: { cwd: string; env: Record<string, string>; uid?: number; gid?: number }, io: CliIO): Promise<number> {
  const [program, ...args] = command;
  // Loaded only to run COMMAND: with no stack (exit 3) exec never needs it (docs/how-it-works.md, "Starting the CLI").
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(program, args, { ...options, stdio: 'inherit' });
    // Ctrl-C and Ctrl-\ reach COMMAND from the terminal itself; a signal sent to tierdown alone is passed on.
    const ignore = () => undefined;
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const handlers: [NodeJS.Signals, (signal: NodeJS.Signals) => void][] = [
      ['SIGINT', ignore],
      ['SIGQUIT', ignore],
      ['SIGTERM', forward],
      ['SIGHUP', forward],
    ];
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const done = (status: number) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolve(status);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      line(io.stderr, `tierdown exec: cannot run ${JSON.stringify(program)}: ${error.message}`);
      done(error.code === 'ENOENT' ? NOT_FOUND : CANNOT_RUN);
    });
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

export async function exec(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, 'exec');
  const [name, ...rest] = positionals;
  // `exec api -- ls -la` (docs/cli.md): the `--` only says where COMMAND starts.
  const command = rest[0] === '--' ? rest.slice(1) : rest;
  if (command.length === 0) throw new UsageError('exec: name the COMMAND to run after SERVICE');
  const config = await loadCommandConfig(values, io);
  const service = config.services.find((candidate) => candidate.name === name);
  if (!service) {
    line(io.stderr, `tierdown exec: unknown service ${JSON.stringify(name)} (known: ${config.services.map((known) => known.name).join(', ')})`);
    return EXIT.badConfig;
  }
  if (service.command === undefined) {
    line(io.stderr, `tierdown exec: ${name} is a remote service (url): tierdown runs no process of it to run a command beside`);
    return EXIT.badConfig;
  }
  const running = await isRunning(config.source, name, io);
  if (running !== true) {
    const why = running === undefined ? `no 'tierdown up' is running for ${config.source}` : `${name} is not running in the stack of ${config.source}`;
    line(io.stderr, `tierdown exec: ${why}`);
    return EXIT.notRunning;
  }
  const env = execEnvironment(service, io.env);
  const problems = spawnProblems(command, service.cwd, env);
  if (problems.length) {
    for (const problem of problems) line(io.stderr, `tierdown exec: ${problem.field === 'cwd' ? `cwd of ${name}` : 'COMMAND'}: ${problem.message}`);
    return problems.some((problem) => problem.field === 'cwd') ? CANNOT_RUN : NOT_FOUND;
  }
  const identity = identityOptions(service.runAs);
  return runAttached(command, { cwd: service.cwd, env, ...(identity.uid === undefined ? {} : { uid: identity.uid, gid: identity.gid }) }, io);
}
