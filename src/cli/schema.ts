/**
 * `tierdown schema`: the JSON Schema of tierdown.yaml, generated from the zod
 * schema the loader checks with — the same file as the committed
 * tierdown.schema.json that editors use (see docs/config.md).
 */
import { configJsonSchema } from '../config/json-schema.js';
import { line, EXIT, type CliIO } from './io.js';

export async function schema(_argv: string[], io: CliIO): Promise<number> {
  line(io.stdout, JSON.stringify(configJsonSchema(), null, 2));
  return EXIT.ok;
}
