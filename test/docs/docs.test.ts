// The docs users read are checked against what they describe: the charts are
// the machines' own, every link between the pages resolves, and the code points
// users at docs/ rather than at a contract they do not have.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../src/errors.js';
import { machineGraph, type MachineName } from '../../src/graph/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

function chartAfter(text: string, heading: string): string | undefined {
  return /```mermaid\n([\s\S]*?)```/.exec(text.slice(text.indexOf(heading)))?.[1];
}

describe('docs/how-it-works.md', () => {
  // On failure regenerate the blocks: `npm run build && node scripts/update-charts.mjs`.
  const charts: [string, MachineName][] = [
    ['## The service statechart', 'service'],
    ['## The orchestrator statechart', 'orchestrator'],
    ['## The stop statechart', 'stop'],
    ['## The start sequence statechart', 'startSequence'],
    ['## The supervisor statechart', 'supervisor'],
    ['## The health statechart', 'health'],
  ];
  it.each(charts)('shows "%s" exactly as tierdown graph prints it', (heading, machine) => {
    expect(chartAfter(read('docs/how-it-works.md'), heading)).toBe(machineGraph(machine).mermaid);
  });
});

describe('links', () => {
  const pages = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
  it.each(pages)('every relative link of %s resolves', (page) => {
    const targets = [...read(page).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1]).filter((target) => !/^[a-z]+:/.test(target));
    const missing = targets.filter((target) => !existsSync(path.resolve(ROOT, path.dirname(page), target)));
    expect(missing).toEqual([]);
  });
});

describe('citations', () => {
  it('code and README point at docs/, never at "SPEC §"', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const relative = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(relative);
        else if (/\.(ts|mjs|js|md)$/.test(entry.name) && read(relative).includes('SPEC §')) offenders.push(relative);
      }
    };
    for (const dir of ['src', 'machines', 'visualizer', 'examples', 'bin']) if (existsSync(path.join(ROOT, dir))) walk(dir);
    if (read('README.md').includes('SPEC §')) offenders.push('README.md');
    expect(offenders).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  it('lists every error code once, and no code that does not exist', () => {
    const listed = [...read('docs/errors.md').matchAll(/^\| `(TIERDOWN_[A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(listed).toEqual(Object.keys(ERROR_CODES));
  });
});
