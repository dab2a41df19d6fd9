/**
 * `tierdown graph` — placeholder until the statechart export lands.
 */
import { EXIT, line, type CliIO } from './io.js';

export async function graph(_argv: string[], io: CliIO): Promise<number> {
  line(io.stderr, 'tierdown graph: not available yet');
  return EXIT.failed;
}
