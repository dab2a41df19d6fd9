/**
 * The last check of the demo: every service that names a STATE_FILE left one
 * in the run's state folder, and it parses — the point of stopping critical
 * services over HTTP instead of killing them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import { table } from '../format.js';

export interface StateFileCheck {
  ok: boolean;
  count: number;
  lines: string[];
}

// "chain: 6 items, head: …" — enough to see the file holds real state.
function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  return Object.entries(value)
    .map(([key, entry]) => {
      if (Array.isArray(entry)) return `${key}: ${entry.length}`;
      if (typeof entry === 'object' && entry !== null) return `${key}: ${Object.keys(entry).length}`;
      return `${key}: ${JSON.stringify(entry)}`;
    })
    .join(', ');
}

export async function checkStateFiles(config: ResolvedConfig, stateDir: string): Promise<StateFileCheck> {
  const rows = [['service', 'file', 'bytes', 'check']];
  let ok = true;
  const owners = config.services.filter((service) => service.env.STATE_FILE);
  for (const service of owners) {
    const file = path.resolve(service.env.STATE_DIR ?? stateDir, service.env.STATE_FILE);
    let check: string;
    let bytes = '-';
    try {
      const text = await readFile(file, 'utf8');
      bytes = String(Buffer.byteLength(text));
      check = `valid JSON (${describe(JSON.parse(text))})`;
    } catch (error) {
      ok = false;
      const code = (error as NodeJS.ErrnoException).code;
      check = code === 'ENOENT' ? 'MISSING' : `INVALID: ${(error as Error).message}`;
    }
    rows.push([service.name, path.basename(file), bytes, check]);
  }
  return { ok, count: owners.length, lines: table(rows) };
}
