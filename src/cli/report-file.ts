/**
 * `--report FILE`: the docs/report.md report as pretty JSON, written atomically so a
 * reader never sees half a report.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ShutdownReport } from '../../machines/types.js';

export async function writeReport(file: string, report: ShutdownReport, cwd: string): Promise<void> {
  const target = path.resolve(cwd, file);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(report, null, 2)}\n`);
  await rename(temporary, target);
}
