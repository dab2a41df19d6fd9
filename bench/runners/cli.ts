/**
 * tierdown via its CLI, as a user runs it: `./bin/tierdown up -c FILE`, then
 * SIGINT (Ctrl-C) to the CLI. The services are found as the CLI's children in
 * /proc, so nothing depends on the shape of its output.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { onCleanup, own } from '../ledger.js';
import { childrenOf, processTable, waitFor } from '../proc.js';
import { serviceArgv, tierdownConfig } from '../services.js';
import { RunnerUnavailable, type Runner } from './types.js';

/** The checkout's `bin/tierdown` (dist/bench/runners → ../../../bin). */
export const TIERDOWN_BIN = fileURLToPath(new URL('../../../bin/tierdown', import.meta.url));

// How long the services are left to settle once `up` has said they are all
// ready (`services ready`, its answer to the API runner's resolved start()): at
// 1000 services that line comes 0.5–9 s after the last process appeared (the
// readiness of 1000, their rows), and a Ctrl-C before it timed the end of the
// start along with the stop.
const SETTLE_MS = 200;

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0$/, '');
  } catch {
    return undefined;
  }
}

/** The CLI runner of one build's `bin/tierdown` (bench/ab/cli-stop.mjs sets an old build beside this one). */
export const cliRunnerOf = (bin: string, key = 'cli', label = 'tierdown CLI'): Runner => ({
  key,
  label,
  peer: false,
  unavailable: async () => (existsSync(bin) ? undefined : `${bin} is missing`),
  start: async (n, kind, workDir) => {
    const file = join(workDir, `${key}-${kind}-${n}.yaml`);
    writeFileSync(file, stringify(tierdownConfig(n, kind)));
    const cli = spawn(bin, ['up', '-c', file], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const pid = cli.pid as number;
    own(pid);
    const removeHook = onCleanup(() => void cli.kill('SIGKILL'));
    // The last lines it printed, to say why it failed.
    const tail: string[] = [];
    for (const stream of [cli.stdout, cli.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        tail.push(...chunk.split('\n').filter(Boolean));
        tail.splice(0, Math.max(0, tail.length - 5));
      });
    }
    let ready = false;
    let recent = ''; // a line split across two chunks of stdout
    cli.stdout.on('data', (chunk: string) => {
      recent = (recent + chunk).slice(-(chunk.length + 32));
      ready ||= recent.includes('services ready');
    });
    let exit: { code: number | null; signal: string | null } | undefined;
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      cli.once('exit', (code, signal) => resolve((exit = { code, signal }))),
    );
    const close = async () => {
      if (!exit) cli.kill('SIGKILL');
      await exited;
      removeHook();
    };

    const expected = serviceArgv(kind).join('\0');
    let mainPids: number[] = [];
    try {
      await waitFor(`${n} services under ./bin/tierdown up`, () => {
        if (exit) throw new RunnerUnavailable(`./bin/tierdown up exited (${exit.signal ?? `code ${exit.code}`}) before starting its services: ${tail.join(' | ') || 'no output'}`);
        const table = processTable();
        // By command line: the CLI has other children (its watchdog) in groups of their own.
        const services = childrenOf(pid, table).filter((proc) => commandLine(proc.pid) === expected);
        mainPids = services.map((proc) => proc.pid);
        own(...services);
        return services.length === n && services.every((service) => childrenOf(service.pid, table).length > 0);
      }, 60_000);
      await waitFor(`./bin/tierdown up to say its ${n} services are ready`, () => {
        if (exit) throw new RunnerUnavailable(`./bin/tierdown up exited (${exit.signal ?? `code ${exit.code}`}) before its services were ready: ${tail.join(' | ') || 'no output'}`);
        return ready;
      }, 60_000);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    } catch (error) {
      await close();
      throw error;
    }
    return {
      mainPids,
      enginePid: pid,
      stop: async () => {
        cli.kill('SIGINT');
        const { code, signal } = await exited;
        return { doneAt: performance.now(), ok: code === 0, detail: code === 0 ? undefined : `exit ${signal ?? code}: ${tail.join(' | ')}` };
      },
      close,
    };
  },
});

export const cliRunner: Runner = cliRunnerOf(TIERDOWN_BIN);
