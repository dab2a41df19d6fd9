/**
 * The page's static files (visualizer/public/), read at start. Compiled code
 * runs from dist/visualizer/, the files stay in the package's visualizer/public/,
 * so they are looked for beside this module first, then from the package root.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const FILES = ['index.html', 'style.css', 'app.js', 'chart.js', 'dom.js', 'header.js', 'log.js', 'outcome.js', 'replay.js', 'rows.js'];

export interface Asset {
  type: string;
  body: Buffer;
}

export function publicDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'public'), path.join(here, '..', '..', 'visualizer', 'public')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
  if (!found) throw new Error(`visualizer assets not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Route (under the run's secret) → file, for the few files the page is made of. */
export function loadAssets(dir: string = publicDir()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of FILES) {
    const asset = { type: TYPES[path.extname(file)], body: readFileSync(path.join(dir, file)) };
    assets.set(`/${file}`, asset);
    if (file === 'index.html') assets.set('/', asset);
  }
  return assets;
}
