// Rewrites the Mermaid charts of docs/how-it-works.md and README.md from the
// machines themselves (`npm run build` first): each heading listed below is
// followed by the chart `tierdown graph --machine NAME` prints.
// test/docs/docs.test.ts and test/graph/export.test.ts fail when a chart and its machine drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { machineGraph } from '../dist/src/graph/index.js';

export const CHARTS = [
  ['## The service statechart', 'service'],
  ['## The orchestrator statechart', 'orchestrator'],
  ['## The stop statechart', 'stop'],
  ['## The start sequence statechart', 'startSequence'],
  ['## The supervisor statechart', 'supervisor'],
  ['## The health statechart', 'health'],
];

const PAGES = [
  ['../docs/how-it-works.md', CHARTS],
  ['../README.md', CHARTS.slice(0, 1)],
];

for (const [page, charts] of PAGES) {
  const file = new URL(page, import.meta.url);
  let text = readFileSync(file, 'utf8');
  for (const [heading, machine] of charts) {
    const at = text.indexOf(heading);
    if (at < 0) throw new Error(`${page} has no "${heading}"`);
    const open = text.indexOf('```mermaid\n', at);
    const close = text.indexOf('```', open + 11);
    text = `${text.slice(0, open + 11)}${machineGraph(machine).mermaid}${text.slice(close)}`;
  }
  writeFileSync(file, text);
}
