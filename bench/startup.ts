/**
 * Start-up: from the command until every one of N services accepts TCP
 * connections — tierdown (`ready: { tcp: true }`) through its API and its CLI
 * against a raw floor that spawns and polls the same way
 * (runners/raw-startup-child.ts). Each tool is timed from the harness's
 * fork/spawn, so each pays the start of its own Node process. The services are
 * tiny Perl TCP listeners (a Node one each would be 40 MB × N).
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onCleanup, own } from './ledger.js';
import { freePortBlock } from './ports.js';
import { childrenOf, serviceProcesses } from './proc.js';
import { startApiStack } from './runners/api.js';
import { stackInChild } from './runners/child.js';
import { TIERDOWN_BIN } from './runners/cli.js';
import type { Stack } from './runners/types.js';

/** Listens on 127.0.0.1:$PORT, accepts and closes; SIGTERM ends it. */
const LISTENER = [
  'perl',
  '-MIO::Socket::INET',
  '-e',
  '$SIG{TERM}=sub{exit 0}; my $s=IO::Socket::INET->new(LocalAddr=>"127.0.0.1",LocalPort=>$ENV{PORT},Listen=>64,ReuseAddr=>1) or die "listen $ENV{PORT}: $!"; while(my $c=$s->accept){close $c}',
];

export interface StartupSample {
  ok: boolean;
  /** Command (fork/spawn) → the tool says every service is ready. */
  readyMs?: number;
  /** What `up` printed as its own ready time, when it did. */
  reportedMs?: number;
  detail?: string;
}

export async function perlAvailable(): Promise<string | undefined> {
  try {
    execFileSync('perl', ['-MIO::Socket::INET', '-e', '1'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'perl with IO::Socket::INET is not installed (the start-up services are Perl listeners)';
  }
}

// In a config file a `$` starts a ${VAR} (docs/config.md#interpolation): Perl's own `$` is written `$$` there.
function tierdownStartupConfig(ports: number[], inFile = false): Record<string, unknown> {
  const command = inFile ? LISTENER.map((arg) => arg.split('$').join('$$')) : [...LISTENER];
  const services: Record<string, unknown> = {};
  ports.forEach((port, index) => {
    services[`p${String(index).padStart(4, '0')}`] = { command: [...command], env: { PORT: String(port) }, port, ready: { tcp: true }, tier: 'simple' };
  });
  return { version: 1, defaults: { timeouts: { sigterm: '1s', kill: '2s' } }, services };
}

async function timed(start: () => Promise<Stack>): Promise<StartupSample & { stack?: Stack }> {
  const began = performance.now();
  const stack = await start();
  return { ok: true, readyMs: performance.now() - began, stack };
}

async function finish(sample: StartupSample & { stack?: Stack }): Promise<StartupSample> {
  const { stack, ...rest } = sample;
  if (stack) {
    // Everything the tool started is the bench's to end if the tool's own stop fails.
    own(...serviceProcesses(stack.mainPids));
    await stack.stop().catch(() => undefined);
    await stack.close();
  }
  return rest;
}

const raw = (ports: number[]) =>
  stackInChild(new URL('./runners/raw-startup-child.js', import.meta.url), { type: 'start', argv: LISTENER, ports }, 120_000, (child, pids) => ({
    mainPids: pids,
    stop: async () => {
      child.send({ type: 'stop' });
      await child.next('done', 30_000);
      return { doneAt: performance.now(), ok: true };
    },
    close: () => child.close(),
  }));

/** `./bin/tierdown up`, ready when it prints "services ready"; stopped with SIGINT. */
function cli(ports: number[], workDir: string): Promise<Stack & { reportedMs?: number }> {
  const file = join(workDir, `startup-${ports.length}.yaml`);
  writeFileSync(file, stringify(tierdownStartupConfig(ports, true)));
  return new Promise((resolve, reject) => {
    const child = spawn(TIERDOWN_BIN, ['up', '-c', file], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    own(child.pid);
    const removeHook = onCleanup(() => void child.kill('SIGKILL'));
    const exited = new Promise<number | null>((settle) => child.once('exit', (code) => settle(code)));
    const close = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      removeHook();
    };
    let text = '';
    let errors = '';
    const timer = setTimeout(() => void close().then(() => reject(new Error(`no "services ready" in 120 s: ${text.slice(-300)}`))), 120_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (errors = (errors + chunk).slice(-300)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (text.includes('services ready')) return;
      text += chunk;
      const match = /services ready(?: in (\d+) ms)?/.exec(text);
      if (!match) return;
      clearTimeout(timer);
      // The services are the CLI's perl children (its watchdog is a child too).
      const pids = childrenOf(child.pid as number)
        .filter((proc) => proc.comm === 'perl')
        .map((proc) => proc.pid);
      resolve({
        mainPids: pids,
        enginePid: child.pid,
        reportedMs: match[1] === undefined ? undefined : Number(match[1]),
        stop: async () => {
          child.kill('SIGINT');
          const code = await exited;
          return { doneAt: performance.now(), ok: code === 0 };
        },
        close,
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tierdown up exited (${code}) before ready: ${`${text.slice(-300)} ${errors}`.trim().replaceAll('\n', ' / ')}`));
    });
  });
}

export const STARTUP_TOOLS = ['raw', 'api', 'cli'] as const;
export type StartupTool = (typeof STARTUP_TOOLS)[number];

/** One timed start of `n` listeners by `tool`, then an untimed stop and clean-up. */
export async function measureStartup(tool: StartupTool, n: number, workDir: string): Promise<StartupSample> {
  const ports = await freePortBlock(n);
  try {
    if (tool === 'raw') return await finish(await timed(() => raw(ports)));
    if (tool === 'api') return await finish(await timed(() => startApiStack(tierdownStartupConfig(ports), workDir)));
    const sample = await timed(() => cli(ports, workDir));
    return await finish({ ...sample, reportedMs: (sample.stack as { reportedMs?: number } | undefined)?.reportedMs });
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
