/**
 * `tierdown logs [-f] [-n N] [-t] [--since T] [--until T] [SERVICE...]`: the
 * services' output and tierdown's notes on them, prefixed by name, from the
 * run's log files (written by `up`, see logs/files.ts), as compose shows them
 * (logs/print.ts; the window: logs/window.ts). With `-f` it keeps printing new
 * lines and ends when the stack stops. Exit status 3 when no run of this
 * config has logs (or, with -f, none runs).
 */
import { existsSync, openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import { loadCommandConfig } from './load-config.js';
import { parseCommandArgs, UsageError } from './args.js';
import { probeSocket } from './control/client.js';
import { logsDir, socketPath } from './control/paths.js';
import { EXIT, line, type CliIO } from './io.js';
import { logFileOf } from './logs/files.js';
import { parseLogLine } from './logs/format.js';
import { logLinePrinter, type Tagged } from './logs/print.js';
import { inWindow, parseLogWindow, type LogWindow } from './logs/window.js';
import { wantsLiveView } from './view/colour.js';

/** How often `-f` looks for new lines and checks the stack still runs (ms). */
const FOLLOW_POLL_MS = 150;

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(count)) throw new UsageError(`--lines: expected a whole number, got "${value}"`);
  return count;
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((text) => text !== '');
  } catch {
    return [];
  }
}

/** A file's stored lines that fall in `window`, parsed. */
function storedLines(file: string, service: string, window: LogWindow): Tagged[] {
  const kept: Tagged[] = [];
  // One by one: push(...lines) of 400k lines would overflow the call stack.
  for (const text of readLines(file)) {
    const entry = { ...parseLogLine(text), service };
    if (inWindow(entry.at, window)) kept.push(entry);
  }
  return kept;
}

/** Every stored line of `services` in `window` (the last `count` of each), in the order they were written. */
function history(logDir: string, services: string[], count: number | undefined, window: LogWindow): Tagged[] {
  let all: Tagged[] = [];
  for (const service of services) {
    const file = logFileOf(logDir, service);
    let lines = storedLines(file, service, window);
    if (count === undefined || lines.length < count) lines = storedLines(`${file}.1`, service, window).concat(lines);
    if (count !== undefined) lines = count === 0 ? [] : lines.slice(-count);
    all = all.concat(lines);
  }
  // Stable sort: lines with the same timestamp keep their order within a service.
  return all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** Follows the files from their current ends; resolves when `stillRunning` says no. */
async function follow(logDir: string, services: string[], window: LogWindow, print: (entry: Tagged) => void, stillRunning: () => Promise<boolean>): Promise<void> {
  const offsets = new Map<string, number>();
  const partial = new Map<string, string>();
  for (const service of services) {
    const file = logFileOf(logDir, service);
    offsets.set(service, existsSync(file) ? statSync(file).size : 0);
  }
  const readNew = () => {
    for (const service of services) {
      const file = logFileOf(logDir, service);
      if (!existsSync(file)) continue;
      const size = statSync(file).size;
      let offset = offsets.get(service) ?? 0;
      // Rotated (or started afresh): read the new file from its start.
      if (size < offset) offset = 0;
      if (size === offset) continue;
      const buffer = Buffer.alloc(size - offset);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, offset);
      } finally {
        closeSync(fd);
      }
      offsets.set(service, size);
      const text = (partial.get(service) ?? '') + buffer.toString('utf8');
      const lines = text.split('\n');
      partial.set(service, lines.pop() ?? '');
      for (const stored of lines) {
        if (stored === '') continue;
        const entry = { ...parseLogLine(stored), service };
        if (inWindow(entry.at, window)) print(entry);
      }
    }
  };
  for (;;) {
    readNew();
    if (!(await stillRunning())) return readNew();
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
  }
}

export async function logs(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, 'logs');
  const count = parseCount(values.lines);
  const window = parseLogWindow(values);
  const config = await loadCommandConfig(values, io);
  const known = config.services.map((service) => service.name);
  const unknown = positionals.filter((name) => !known.includes(name));
  if (unknown.length) {
    line(io.stderr, `tierdown logs: unknown service${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')} (known: ${known.join(', ')})`);
    return EXIT.badConfig;
  }
  const services = positionals.length ? positionals : known;
  const logDir = logsDir(config.source, io.env);
  const socket = socketPath(config.source, io.env);
  const running = async () => (await probeSocket(socket).catch(() => 'absent')) === 'live';
  if (!existsSync(logDir) || (values.follow && !(await running()))) {
    line(io.stderr, `tierdown logs: no ${values.follow ? 'running ' : ''}stack for ${config.source}${values.follow ? '' : ' has written logs'}`);
    return EXIT.notRunning;
  }
  const format = logLinePrinter({ services, colour: wantsLiveView(io), timestamps: values.timestamps ?? false });
  const print = (entry: Tagged) => line(io.stdout, format(entry));
  history(logDir, services, count, window).forEach(print);
  if (values.follow) await follow(logDir, services, window, print, running);
  return EXIT.ok;
}
