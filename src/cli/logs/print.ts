/**
 * How `logs` shows one stored line: `name | text` as compose does, the name
 * padded to the widest, in the service's own colour on a terminal (the live
 * view's rule: view/colour.ts wantsLiveView), `-t` adding the time the line was
 * written, and tierdown's own notes marked `[tierdown]` (bold on a terminal).
 */
import { paint, serviceColour } from '../view/colour.js';
import type { LogLine } from './format.js';

export type Tagged = LogLine & { service: string };

export interface PrintOptions {
  /** Services shown, for the width of the name column. */
  services: string[];
  colour: boolean;
  timestamps: boolean;
}

export function logLinePrinter(options: PrintOptions): (entry: Tagged) => string {
  const width = options.services.reduce((widest, name) => Math.max(widest, name.length), 0);
  const prefixes = new Map(
    options.services.map((name) => {
      const prefix = `${name.padEnd(width)} |`;
      return [name, options.colour ? paint(serviceColour(name), prefix) : prefix];
    }),
  );
  return (entry) => {
    const prefix = prefixes.get(entry.service) ?? `${entry.service.padEnd(width)} |`;
    const time = options.timestamps && entry.at !== '' ? `${entry.at} ` : '';
    const note = `[tierdown] ${entry.text}`;
    const text = entry.stream !== 'note' ? entry.text : options.colour ? paint('bold', note) : note;
    return `${prefix} ${time}${text}`;
  };
}
