/**
 * Finding, reading and parsing a config file: the entry points of `src/config`.
 * Without a named file, `tierdown.yaml`, then `tierdown.yml`, then `tierdown.json`
 * is looked for in the working directory only (not its parents, so `down` never
 * reaches for some other stack's file by accident).
 */
import { close as closeCallback, fstat as fstatCallback, open as openCallback, read as readCallback, stat as statCallback } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_CONFIG_FILES } from './defaults.js';
import { nameProblem } from './names.js';
import { bareDurationProblems } from './bare-durations.js';
import { ConfigError, ConfigFileError } from './errors.js';
import { resolveConfig, type ResolveOptions } from './resolve.js';
import { parseText } from './text.js';
import type { ResolvedConfig } from './types.js';
import { configVariables, type VariableOptions } from './variables.js';

// Not node:fs/promises: loading it (with readline and fs.watch behind it) is a
// measurable part of `tierdown validate`'s cold start (issue 14).
const stat = promisify(statCallback);
const open = promisify(openCallback);
const fstat = promisify(fstatCallback);
const close = promisify(closeCallback);
const readInto = promisify(readCallback);

/** A config file's size limit (a 1000-service stack is a few hundred KiB): `-c /dev/zero` ends here, not in memory. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** The file's text, at most MAX_CONFIG_BYTES; a FIFO (`-c <(generate)`) is read to its end, a device never. */
async function readBounded(file: string): Promise<string> {
  const fd = await open(file, 'r');
  try {
    const stats = await fstat(fd);
    if (stats.isCharacterDevice() || stats.isBlockDevice()) throw Object.assign(new Error('device'), { code: 'EDEVICE' });
    const buffer = Buffer.alloc(Math.min(MAX_CONFIG_BYTES, Math.max(stats.size, 64 * 1024)) + 1);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const { bytesRead } = await readInto(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
      length += bytesRead;
      if (length > MAX_CONFIG_BYTES) throw Object.assign(new Error('too big'), { code: 'ETOOBIG' });
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } finally {
    await close(fd);
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function locate(file: string | undefined, cwd: string): Promise<string> {
  if (file !== undefined) return path.resolve(cwd, file);
  for (const name of DEFAULT_CONFIG_FILES) {
    const candidate = path.join(cwd, name);
    if (await isFile(candidate)) return candidate;
  }
  const message = `no config file: looked for ${DEFAULT_CONFIG_FILES.join(', ')}`;
  throw new ConfigFileError('TIERDOWN_CONFIG_NOT_FOUND', [{ path: cwd, message }], cwd);
}

const READ_FAILURES: Record<string, string> = {
  EISDIR: 'is a directory, not a config file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EDEVICE: 'is a device, not a config file',
  ETOOBIG: `is larger than ${MAX_CONFIG_BYTES / (1024 * 1024)} MiB, too big for a config file`,
};

async function read(file: string): Promise<string> {
  try {
    return await readBounded(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ConfigFileError('TIERDOWN_CONFIG_NOT_FOUND', [{ path: file, message: 'no such file' }], file);
    }
    const message = READ_FAILURES[code] ?? `cannot be read (${code || String(error)})`;
    throw new ConfigFileError('TIERDOWN_CONFIG_UNREADABLE', [{ path: file, message }], file);
  }
}

/**
 * Parses and resolves config text (YAML or JSON).
 *
 * @param source the file it came from, for messages and `ResolvedConfig.source`.
 * @param baseDir folder that relative `cwd` and `tokenFile` resolve against; default: `source`'s folder.
 * @param options what `${VAR}` finds; default: tierdown's environment.
 * @throws {ConfigError} `TIERDOWN_CONFIG_UNPARSABLE` (a `ConfigFileError`) or `TIERDOWN_CONFIG_INVALID`.
 */
export function parseConfig(text: string, source: string, baseDir: string = path.dirname(path.resolve(source)), options: ResolveOptions = {}): ResolvedConfig {
  const raw = parseText(text, source);
  // A bare number is ms through the API, an error in a file: reported with everything else.
  const bare = bareDurationProblems(raw);
  try {
    const config = resolveConfig(raw, source, baseDir, { ...options, everyValue: true });
    if (bare.length) throw new ConfigError(bare, source);
    return config;
  } catch (error) {
    if (!bare.length || !(error instanceof ConfigError) || error.problems === bare) throw error;
    throw new ConfigError([...bare, ...error.problems], source);
  }
}

/**
 * Loads a config file: `file` (relative to `cwd`), else the first of
 * `tierdown.yaml`, `tierdown.yml`, `tierdown.json` in `cwd`. `${VAR}` in it
 * finds tierdown's environment (`options.env`), then the `.env` beside the
 * file or the one `options.envFile` names (docs/config.md#interpolation).
 *
 * @throws {ConfigError} every way a config can be wrong, with a stable `code`:
 * `TIERDOWN_CONFIG_NOT_FOUND`, `TIERDOWN_CONFIG_UNREADABLE`, `TIERDOWN_CONFIG_UNPARSABLE`
 * (all `ConfigFileError`) or `TIERDOWN_CONFIG_INVALID`.
 */
export async function loadConfig(file?: string, cwd: string = process.cwd(), options: Omit<VariableOptions, 'cwd'> = {}): Promise<ResolvedConfig> {
  const found = await locate(file, path.resolve(cwd));
  const text = await read(found);
  const variables = configVariables(path.dirname(found), { ...options, cwd });
  return parseConfig(text, found, path.dirname(found), { variables });
}

/**
 * The names under `services:` of a config file, read without checking the rest
 * (`tierdown config --services`, which shell completion calls while the file
 * may be half written): only names that could name a service.
 *
 * @throws {ConfigFileError} when there is no file, or it cannot be read or parsed.
 */
export async function serviceNamesIn(file?: string, cwd: string = process.cwd()): Promise<string[]> {
  const found = await locate(file, path.resolve(cwd));
  const services = (parseText(await read(found), found) as { services?: unknown } | null)?.services;
  if (typeof services !== 'object' || services === null || Array.isArray(services)) return [];
  return Object.keys(services).filter((name) => nameProblem(name) === undefined);
}
