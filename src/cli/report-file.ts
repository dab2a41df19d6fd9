/**
 * `--report FILE`: the report (docs/report.md) as pretty JSON, written
 * atomically so a reader never sees half a report. The folder is checked before
 * the run starts — a typo must not be found only after the stop — and a write
 * that fails leaves no temporary file behind.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ShutdownReport } from '../../machines/types.js';
import { TierdownError } from '../errors.js';

/** Thrown when `--report` names a place the report cannot be written to. */
export class ReportPathError extends TierdownError<'TIERDOWN_REPORT_PATH'> {
  override name = 'ReportPathError';
  constructor(message?: string) {
    super('TIERDOWN_REPORT_PATH', message);
  }
}

/**
 * Checks, before anything starts, that `file` can be written: its folder
 * exists, is a folder, and is writable, and `file` itself is not a folder.
 *
 * @throws {ReportPathError} naming what is wrong.
 */
export function checkReportPath(file: string, cwd: string): void {
  const target = path.resolve(cwd, file);
  const folder = path.dirname(target);
  const fail = (why: string) => new ReportPathError(`--report ${file}: ${why}`);
  let stats;
  try {
    stats = statSync(folder);
  } catch {
    throw fail(`the folder ${folder} does not exist`);
  }
  if (!stats.isDirectory()) throw fail(`${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw fail(`the folder ${folder} is not writable`);
  }
  try {
    if (statSync(target).isDirectory()) throw fail(`${target} is a folder`);
  } catch (error) {
    if (error instanceof ReportPathError) throw error;
    // Not there yet: it will be created.
  }
}

export async function writeReport(file: string, report: ShutdownReport, cwd: string): Promise<void> {
  const target = path.resolve(cwd, file);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(report, null, 2)}\n`);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
