// Where the visualizer draws each state: escalation reads left to right, final
// states come last, compound states hold their children, and a service's chart
// keeps the full machine's columns so rows line up.
import { describe, expect, it } from '@jest/globals';
import { orchestratorMachine } from '../../machines/orchestrator.js';
import { serviceMachine } from '../../machines/service.js';
import { parseConfig } from '../../src/config/index.js';
import { chartOf, serviceGraph } from '../../src/graph/index.js';
import { layoutChart, type LayoutNode } from '../../src/graph/layout.js';

const byKey = (nodes: LayoutNode[]) => new Map(nodes.map((node) => [node.key, node]));

describe('laying out a chart', () => {
  it('puts the service states in escalation order, the final states last', () => {
    const nodes = byKey(layoutChart(chartOf(serviceMachine)).nodes);
    const x = (key: string) => nodes.get(key)?.x ?? NaN;
    expect(x('idle')).toBeLessThan(x('httpShutdown'));
    expect(x('httpShutdown')).toBeLessThan(x('awaitingExit'));
    expect(x('awaitingExit')).toBeLessThan(x('sigterm'));
    expect(x('sigterm')).toBeLessThan(x('forceKill'));
    expect(x('forceKill')).toBeLessThan(x('stopped'));
    expect(x('stopped')).toBe(x('failed'));
  });

  it('keeps the full machine\'s positions for a service whose tier skips states', () => {
    const config = parseConfig('version: 1\nservices:\n  db: { command: [node, db.js], tier: simple }\n', '/x/tierdown.yaml');
    const full = byKey(layoutChart(chartOf(serviceMachine)).nodes);
    const simple = layoutChart(serviceGraph(config, 'db').chart, chartOf(serviceMachine));
    expect(simple.nodes.map((node) => node.key)).toEqual(['idle', 'sigterm', 'forceKill', 'stopped', 'failed']);
    for (const node of simple.nodes) expect(node.x).toBe(full.get(node.key)?.x);
    expect(simple.edges.every((edge) => simple.nodes.some((node) => node.id === edge.from))).toBe(true);
  });

  it('draws compound states as boxes around their children, in run order', () => {
    const nodes = byKey(layoutChart(chartOf(orchestratorMachine)).nodes);
    const stopping = nodes.get('stopping') as LayoutNode;
    for (const key of ['escalating', 'verifying', 'rollingBack', 'reporting']) {
      const child = nodes.get(key) as LayoutNode;
      expect(child.parent).toBe('orchestrator.stopping');
      expect(child.x).toBeGreaterThan(stopping.x);
      expect(child.x + child.w).toBeLessThan(stopping.x + stopping.w);
      expect(child.y + child.h).toBeLessThan(stopping.y + stopping.h);
    }
    const x = (key: string) => nodes.get(key)?.x ?? NaN;
    expect(x('starting')).toBeLessThan(x('running'));
    expect(x('running')).toBeLessThan(x('stopping'));
    expect(x('stopping')).toBeLessThan(x('done'));
  });
});
