/**
 * `tierdown demo` — placeholder until it lands.
 */
import { EXIT, line, type CliIO } from './io.js';

export async function demo(_argv: string[], io: CliIO): Promise<number> {
  line(io.stderr, 'tierdown demo: not available yet');
  return EXIT.failed;
}
