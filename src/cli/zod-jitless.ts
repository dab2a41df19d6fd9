/**
 * Turns off zod's JIT for this process (imported by cold.ts only, never by the
 * library, whose users may share the zod instance). The CLI parses one config
 * per process; a generated parser per object schema costs more than it saves.
 */
import { config } from 'zod';

config({ jitless: true });
