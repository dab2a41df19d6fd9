/**
 * Turns any error into what a user should read, and the exit status docs/cli.md
 * gives it. Nothing here prints a stack unless TIERDOWN_DEBUG is set.
 */
import { ConfigError } from '../config/index.js';
import { UsageError } from './args.js';
import { ReportPathError } from './report-file.js';
import { EXIT, line, type CliIO } from './io.js';

export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof ConfigError) {
    line(io.stderr, `tierdown: invalid config${error.source ? ` (${error.source})` : ''}:`);
    for (const problem of error.problems) line(io.stderr, `  ${problem.path}: ${problem.message}`);
    return EXIT.badConfig;
  }
  if (error instanceof ReportPathError) {
    line(io.stderr, `tierdown: ${error.message}`);
    return EXIT.badConfig;
  }
  if (error instanceof UsageError) {
    line(io.stderr, `tierdown: ${error.message}`);
    line(io.stderr, "Run 'tierdown --help' for usage.");
    return EXIT.badConfig;
  }
  line(io.stderr, `tierdown: ${error instanceof Error ? error.message : String(error)}`);
  if (io.env.TIERDOWN_DEBUG && error instanceof Error && error.stack) line(io.stderr, error.stack);
  return EXIT.failed;
}
