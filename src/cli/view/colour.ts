/**
 * Colour for the human views (the live rows, `logs`): only where
 * wantsLiveView says a terminal wants it (no NO_COLOR, not a pipe), and
 * optional garnish otherwise — Node before 20.12 has no styleText.
 */
import { styleText } from 'node:util';
import type { CliIO } from '../io.js';

/** Live rows and colours only for a terminal that wants them (NO_COLOR: https://no-color.org). */
export function wantsLiveView(io: Pick<CliIO, 'stdout' | 'env'>): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

export type Colour = Parameters<typeof styleText>[0];

// Whether to colour is wantsLiveView's call alone: styleText's own stream check would also refuse under CI=true on a real terminal.
export const paint = (format: Colour, text: string): string => (typeof styleText === 'function' ? styleText(format, text, { validateStream: false }) : text);

// Red is left out: it means a crash or a failure in the views.
const SERVICE_COLOURS = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'cyanBright', 'yellowBright', 'greenBright', 'magentaBright', 'blueBright'] as const;

/** A service's colour, the same for its name in every run (FNV-1a of the name). */
export function serviceColour(name: string): Colour {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193) >>> 0;
  return SERVICE_COLOURS[hash % SERVICE_COLOURS.length];
}
