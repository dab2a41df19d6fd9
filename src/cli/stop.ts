/**
 * `tierdown stop SERVICE...`: the tiered stop of those services and of what
 * depends on them, the rest of the stack running on — `down SERVICE...` by
 * the name compose users type (docs/cli.md). Exit status as `down`; 3 when no
 * stack runs for this config. `tierdown start SERVICE...` brings them back.
 */
import type { Command } from './io.js';
import { followStop } from './down.js';

export const stop: Command = (argv, io) => followStop('stop', argv, io);
