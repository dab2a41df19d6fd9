// The exported statecharts are read from the machines, not drawn by hand: every
// state node and every transition of each machine appears in the Mermaid text,
// and the JSON config builds a machine with the same states and transitions.
import { describe, expect, it } from '@jest/globals';
import { createMachine, type AnyStateMachine } from 'xstate';
import { orchestratorMachine } from '../../machines/orchestrator.js';
import { supervisorMachine } from '../../machines/supervisor.js';
import { healthMachine } from '../../machines/health.js';
import { serviceMachine } from '../../machines/service.js';
import { chartOf, machineGraph, toMermaid, type MachineName } from '../../src/graph/index.js';

// Walks XState's own state tree (not the exporter's) for what must appear.
function expectedOf(machine: AnyStateMachine) {
  const states: string[] = [];
  const transitions: { source: string; event: string; targets: string[] }[] = [];
  const visit = (node: AnyStateMachine['root']) => {
    states.push(node.key);
    for (const [event, candidates] of node.transitions) {
      for (const candidate of candidates) transitions.push({ source: node.key, event, targets: (candidate.target ?? []).map((t) => t.key) });
    }
    for (const candidate of node.always ?? []) transitions.push({ source: node.key, event: 'always', targets: (candidate.target ?? []).map((t) => t.key) });
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return { states, transitions };
}

const MACHINE_CASES: [MachineName, AnyStateMachine][] = [
  ['service', serviceMachine],
  ['orchestrator', orchestratorMachine],
  ['supervisor', supervisorMachine],
  ['health', healthMachine],
];

describe.each(MACHINE_CASES)('the %s machine', (name, machine) => {
  const { mermaid, json } = machineGraph(name);

  it('is a Mermaid state diagram naming every state of the machine', () => {
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    const { states } = expectedOf(machine);
    for (const key of states.slice(1)) expect(mermaid).toMatch(new RegExp(`(^|[\\s_"])${key}($|[\\s"])`, 'm'));
  });

  it('draws one arrow per transition (a root transition from each state it applies in)', () => {
    const arrows = mermaid.split('\n').filter((text) => / --> [^[].*: /.test(text));
    const topLevel = Object.values(machine.root.states).filter((state) => state.type !== 'final');
    const expected = expectedOf(machine).transitions.reduce((sum, t) => {
      if (t.source !== machine.root.key) return sum + Math.max(1, t.targets.length);
      // On the root: drawn from every top-level state but its own target; without a target, a note.
      return sum + t.targets.reduce((count, target) => count + topLevel.filter((state) => state.key !== target).length, 0);
    }, 0);
    expect(arrows).toHaveLength(expected);
  });

  it('labels every transition with its event, delay or invoked actor, and guard', () => {
    for (const transition of chartOf(machine).transitions) {
      if (transition.source === chartOf(machine).root && transition.targets.length === 0) continue;
      expect(mermaid).toContain(`: ${transition.label}`);
    }
    for (const transition of expectedOf(machine).transitions) {
      const after = /^xstate\.after\.([^.]+)\./.exec(transition.event);
      if (after) expect(mermaid).toContain(`after ${after[1]}`);
      // A step's timer is an invoked actor named for its delay (machines/step-timer.ts), drawn as that `after`.
      const timer = /^xstate\.done\.actor\.(\w+Timeout)$/.exec(transition.event);
      if (timer) expect(mermaid).toContain(`after ${timer[1]}`);
    }
  });

  it('puts transitions that only run actions on the diagram too', () => {
    for (const transition of chartOf(machine).transitions.filter((t) => t.targets.length === 0)) {
      expect(mermaid).toContain(transition.actions[0]);
    }
  });

  it('exports JSON that builds a machine with the same states and transitions', () => {
    const text = JSON.stringify(json);
    const rebuilt = createMachine(JSON.parse(text));
    const strip = (machineToRead: AnyStateMachine) => {
      const chart = chartOf(machineToRead);
      return { states: chart.states.map((s) => [s.id, s.type, s.initial]), transitions: chart.transitions.map((t) => [t.source, t.targets, t.label, t.actions]) };
    };
    expect(strip(rebuilt)).toEqual(strip(machine));
  });
});

describe('a new state in a machine', () => {
  it('shows up in the diagram without anyone drawing it', () => {
    const machine = createMachine({
      id: 'grown',
      initial: 'a',
      states: { a: { on: { GO: 'brandNew' } }, brandNew: { after: { 50: 'a' } } },
    });
    const mermaid = toMermaid(chartOf(machine));
    expect(mermaid).toContain('a --> brandNew: GO');
    expect(mermaid).toContain('brandNew --> a: after 50ms');
  });
});

describe('the README', () => {
  it('shows the service statechart exactly as `tierdown graph --machine service` prints it', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## The service statechart'));
    const block = /```mermaid\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(machineGraph('service').mermaid);
  });
});
