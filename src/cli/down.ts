/**
 * `tierdown down` — placeholder until it lands.
 */
import { EXIT, line, type CliIO } from './io.js';

export async function down(_argv: string[], io: CliIO): Promise<number> {
  line(io.stderr, 'tierdown down: not available yet');
  return EXIT.failed;
}
