// Where the visualizer draws each state and label (ELK, from the machines):
// escalation reads top to bottom, compound states hold their children, every
// transition has a label, and no two labels or states overlap.
import { describe, expect, it } from '@jest/globals';
import { createMachine } from 'xstate';
import { orchestratorMachine } from '../../machines/orchestrator.js';
import { stopMachine } from '../../machines/stop.js';
import { serviceMachine } from '../../machines/service.js';
import { parseConfig } from '../../src/config/index.js';
import { plannedService } from '../../src/engine/plan.js';
import { chartOf } from '../../src/graph/index.js';
import { layoutChart, type ChartLayout, type LayoutNode } from '../../src/graph/layout.js';
import { serviceChart, serviceLabels } from '../../src/graph/service.js';

const byKey = (nodes: LayoutNode[]) => new Map(nodes.map((node) => [node.key, node]));
type Box = { x: number; y: number; w: number; h: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

// Labels against each other and against the boxes of plain (non-compound) states.
function overlaps(layout: ChartLayout): string[] {
  const labels = layout.edges.filter((edge) => edge.box.w > 0).map((edge) => ({ name: edge.label, ...edge.box }));
  const states = layout.nodes.filter((node) => node.type !== 'compound').map((node) => ({ name: node.key, ...node }));
  const found: string[] = [];
  labels.forEach((label, i) => {
    for (const other of [...labels.slice(i + 1), ...states]) if (overlap(label, other)) found.push(`${label.name} / ${other.name}`);
  });
  return found;
}

const config = parseConfig(
  'version: 1\nservices:\n  api: { command: [node, api.js], tier: critical, port: 8001, timeouts: { http: 1500ms } }\n  db: { command: [node, db.js], tier: simple }\n',
  '/x/tierdown.yaml',
);
const planned = (name: string) => plannedService(config.services.find((service) => service.name === name)!);

describe('laying out a chart', () => {
  it('puts the service states in escalation order, and labels every transition once', async () => {
    const api = planned('api');
    const chart = serviceChart(api, 'escalate');
    const layout = await layoutChart(chart, serviceLabels(api, 'escalate'));
    const nodes = byKey(layout.nodes);
    const y = (key: string) => nodes.get(key)?.y ?? NaN;
    expect(y('idle')).toBeLessThan(y('httpShutdown'));
    expect(y('httpShutdown')).toBeLessThan(y('awaitingExit'));
    expect(y('awaitingExit')).toBeLessThan(y('sigterm'));
    expect(y('sigterm')).toBeLessThan(y('forceKill'));
    expect(y('forceKill')).toBeLessThan(y('failed'));
    const drawn = layout.edges.flatMap((edge) => edge.transitions);
    expect(drawn.sort()).toEqual(chart.transitions.map((transition) => transition.id).sort());
    expect(layout.edges.every((edge) => edge.box.w > 0 && edge.points.length >= 2)).toBe(true);
    // Timers carry this service's values; guards its config answered are not shown.
    expect(layout.edges.map((edge) => edge.label).join('\n')).toContain('after httpTimeout (1.5s)');
    expect(layout.edges.map((edge) => edge.label).join('\n')).not.toContain('tierUsesHttp');
    expect(layout.edges.map((edge) => edge.label).join('\n')).toContain('[httpAccepted]');
    expect(overlaps(layout)).toEqual([]);
  });

  it('draws a simple service without the http states', async () => {
    const db = planned('db');
    const layout = await layoutChart(serviceChart(db, 'escalate'), serviceLabels(db, 'escalate'));
    expect(layout.nodes.map((node) => node.key).sort()).toEqual(['any state', 'failed', 'forceKill', 'idle', 'sigterm', 'stopped']);
    expect(overlaps(layout)).toEqual([]);
  });

  it('draws compound states as boxes around their children, labels clear of each other', async () => {
    // The run's charts are flat since the stop became its own machine; a compound one of the same shape.
    const nested = createMachine({
      id: 'nested',
      initial: 'running',
      states: {
        running: { on: { SHUTDOWN: 'stopping' } },
        stopping: {
          initial: 'asking',
          states: { asking: { on: { ENDED: 'verifying' } }, verifying: { on: { VERIFIED: 'reported' } }, reported: { type: 'final' } },
          onDone: 'done',
          on: { FORCE: '.asking' },
        },
        done: { type: 'final' },
      },
    });
    const layout = await layoutChart(chartOf(nested));
    const stopping = layout.nodes.find((node) => node.key === 'stopping') as LayoutNode;
    for (const child of layout.nodes.filter((node) => node.parent === stopping.id)) {
      expect(child.x).toBeGreaterThan(stopping.x);
      expect(child.x + child.w).toBeLessThan(stopping.x + stopping.w);
      expect(child.y + child.h).toBeLessThan(stopping.y + stopping.h);
    }
    expect(layout.nodes.filter((node) => node.parent === stopping.id).length).toBeGreaterThan(1);
    expect(overlaps(layout)).toEqual([]);
    expect(layout.edges.flatMap((edge) => edge.transitions).length).toBe(chartOf(nested).transitions.length);
  });

  it('lays out the orchestrator and the stop machine as written', async () => {
    for (const machine of [orchestratorMachine, stopMachine]) expect(overlaps(await layoutChart(chartOf(machine)))).toEqual([]);
  });

  it('lays out the whole service machine as written', async () => {
    const layout = await layoutChart(chartOf(serviceMachine));
    expect(overlaps(layout)).toEqual([]);
  });
});
