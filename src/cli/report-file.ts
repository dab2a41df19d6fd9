/**
 * `--report FILE`: the report (docs/report.md) as pretty JSON, written safely
 * and atomically (src/files/safe-write.ts) so a reader never sees half a
 * report and nothing is written through a link or over a device. The path is
 * checked before the run starts — a typo or a device must not be found only
 * after the stop — and a write that fails leaves no temporary file behind.
 */
import path from 'node:path';
import type { ShutdownReport } from '../../machines/types.js';
import { TierdownError } from '../errors.js';
import { checkWritableTarget, UnsafeTargetError, writeFileSafely } from '../files/safe-write.js';

/** Thrown when `--report` names a place the report cannot be written to. */
export class ReportPathError extends TierdownError<'TIERDOWN_REPORT_PATH'> {
  override name = 'ReportPathError';
  constructor(message?: string) {
    super('TIERDOWN_REPORT_PATH', message);
  }
}

/**
 * Checks, before anything starts, that `file` can be written: a regular file or
 * nothing, in an existing folder where a file can be created.
 *
 * @throws {ReportPathError} naming what is wrong.
 */
export function checkReportPath(file: string, cwd: string): void {
  try {
    checkWritableTarget(path.resolve(cwd, file));
  } catch (error) {
    if (error instanceof UnsafeTargetError) throw new ReportPathError(`--report ${file}: ${error.message}`);
    throw error;
  }
}

export async function writeReport(file: string, report: ShutdownReport, cwd: string): Promise<void> {
  try {
    writeFileSafely(path.resolve(cwd, file), `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    if (error instanceof UnsafeTargetError) throw new ReportPathError(`--report ${file}: ${error.message}`);
    throw error;
  }
}
