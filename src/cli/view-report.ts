/**
 * `tierdown view REPORT.json [--ui PORT]`: the visualizer for a finished run,
 * from its report alone — the same page as `--ui`, with a slider that moves
 * every chart through the stop. Prints the timeline too, in time order.
 */
import path from 'node:path';
import { parseCommandArgs, parsePortFlag, UsageError } from './args.js';
import { timelineLines } from './demo/metrics.js';
import { EXIT, line, type CliIO } from './io.js';
import { readReportFile, ReportFileError } from './read-report.js';

export async function view(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, 'view');
  if (positionals.length !== 1) throw new UsageError(`view: expected one report file, got ${positionals.length}`);
  const port = parsePortFlag('ui', values.ui);
  let read;
  try {
    read = await readReportFile(path.resolve(io.cwd, positionals[0]));
  } catch (error) {
    if (!(error instanceof ReportFileError)) throw error;
    line(io.stderr, `tierdown view: ${error.message}`);
    return EXIT.badConfig;
  }
  const { report, plan, guessed } = read;
  line(io.stdout, `${positionals[0]}: ${report.outcome} in ${report.durationMs}ms, ${report.services.length} services, started ${report.startedAt}`);
  if (guessed) line(io.stdout, 'this report has no plan (older tierdown, or written by hand): charts are guessed from tiers, with default timeouts');
  for (const text of timelineLines(report)) line(io.stdout, text);
  const { startReplay } = await import('../../visualizer/replay.js');
  const page = await startReplay(report, plan, { port: port === 0 ? undefined : port });
  line(io.stdout, `visualizer: ${page.url}`);
  line(io.stdout, 'replay: close the page, press Enter or Ctrl-C to finish');
  const interrupted = new AbortController();
  const onSignal = () => interrupted.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Enter ends it only on a terminal: run from a script, it serves until the page closes or a signal.
  await page.waitForClose({ input: process.stdin.isTTY ? process.stdin : undefined, signal: interrupted.signal });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await page.close();
  return EXIT.ok;
}
