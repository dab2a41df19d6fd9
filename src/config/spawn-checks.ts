/**
 * What can be known about a spawn before trying it: the working folder exists
 * and is a folder, argv has a program and no NUL byte, the program is found
 * (a name on PATH, or a path — relative ones against the working folder, the
 * config file's folder unless `cwd` says otherwise, as execvp would after the
 * chdir). The same checks serve `validate` (a config problem, exit 2) and the
 * spawn itself (a prompt, clear START_FAILED instead of a spawn that never
 * reports back).
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** One thing that stops a spawn, and which part of the service it concerns. */
export interface SpawnProblem {
  field: 'cwd' | 'command';
  message: string;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The program's absolute path, or undefined when it is not found (or not executable). */
export function findProgram(program: string, cwd: string, pathVariable: string | undefined): string | undefined {
  if (program.includes('/')) {
    const file = path.resolve(cwd, program);
    return isExecutableFile(file) ? file : undefined;
  }
  for (const folder of (pathVariable ?? '').split(':')) {
    // An empty PATH entry means the current folder, as for execvp.
    const file = path.resolve(cwd, folder || '.', program);
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}

/**
 * Programs already found, for services started together: 200 services of one
 * program searched PATH 200 times (a stat per folder each). Only a program that
 * was found is remembered; one that is missing is looked for again.
 */
export type ProgramsFound = Map<string, string>;

function foundProgram(program: string, cwd: string, pathVariable: string | undefined, found?: ProgramsFound): string | undefined {
  const key = `${cwd}\0${pathVariable ?? ''}\0${program}`;
  const known = found?.get(key);
  if (known !== undefined) return known;
  const file = findProgram(program, cwd, pathVariable);
  if (file !== undefined) found?.set(key, file);
  return file;
}

function cwdProblem(cwd: string): string | undefined {
  try {
    return statSync(cwd).isDirectory() ? undefined : `${JSON.stringify(cwd)} is not a folder`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${JSON.stringify(cwd)} does not exist`;
    if (code === 'ENAMETOOLONG') return 'path is too long';
    return `${JSON.stringify(cwd)} cannot be read (${code ?? String(error)})`;
  }
}

/**
 * Everything wrong with spawning `command` in `cwd`; empty when it can be tried.
 * `env` is the service's own environment (its PATH, if set, is the one searched);
 * `found` remembers the programs found for services checked together.
 */
export function spawnProblems(
  command: readonly string[],
  cwd: string,
  env: Record<string, string | undefined>,
  found?: ProgramsFound,
): SpawnProblem[] {
  const problems: SpawnProblem[] = [];
  if (cwd.includes('\0')) problems.push({ field: 'cwd', message: 'contains a NUL byte' });
  const cwdIssue = cwd.includes('\0') ? undefined : cwdProblem(cwd);
  if (cwdIssue) problems.push({ field: 'cwd', message: cwdIssue });
  const [program] = command;
  if (command.some((arg) => arg.includes('\0'))) {
    problems.push({ field: 'command', message: 'contains a NUL byte (an argument cannot carry one)' });
  } else if (program === undefined || program === '') {
    problems.push({ field: 'command', message: 'the program (first item) is empty' });
  } else if (!cwdIssue && !foundProgram(program, cwd, env.PATH ?? process.env.PATH, found)) {
    const where = program.includes('/') ? `relative to ${JSON.stringify(cwd)}` : 'on PATH';
    problems.push({ field: 'command', message: `program ${JSON.stringify(program)} not found ${where} (or not executable)` });
  }
  return problems;
}
