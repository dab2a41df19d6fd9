// `graph --service NAME`: a service's statechart as its tier configures it —
// the service machine's own guards decide which states it can ever reach.
import { describe, expect, it } from '@jest/globals';
import { createMachine } from 'xstate';
import { parseConfig } from '../../src/config/index.js';
import { chartOf, serviceGraph } from '../../src/graph/index.js';

const CONFIG = `version: 1
tiers:
  hurry: { steps: [http, forceKill] }
services:
  db: { command: [node, db.js], tier: simple }
  api: { command: [node, api.js], port: 8001, tier: critical, depends_on: [db] }
  quick: { command: [node, quick.js], port: 8002, tier: hurry }
  mirror: { url: "http://127.0.0.1:9000", tier: critical, shutdown: { tokenFile: token } }
`;
const config = parseConfig(CONFIG, '/stack/tierdown.yaml');
const statesOf = (name: string) => serviceGraph(config, name).chart.states.map((state) => state.key);
const edgesOf = (name: string) => serviceGraph(config, name).chart.transitions.map((t) => `${t.source.split('.').pop()} ${t.label}`);

describe('a service statechart configured by its tier', () => {
  it('simple: no HTTP states at all', () => {
    expect(statesOf('db')).toEqual(['service', 'idle', 'sigterm', 'forceKill', 'stopped', 'failed']);
    expect(edgesOf('db')).toContain('idle SHUTDOWN [tierUsesSigterm]');
    // tierUsesSigterm is true for this service, so the fallbacks after it are never tried.
    expect(edgesOf('db')).not.toContain('idle SHUTDOWN [hasProcess]');
  });

  it('critical: every state, HTTP first', () => {
    expect(statesOf('api')).toEqual(['service', 'idle', 'httpShutdown', 'awaitingExit', 'sigterm', 'forceKill', 'stopped', 'failed']);
    expect(edgesOf('api')).toEqual(expect.arrayContaining(['idle SHUTDOWN [tierUsesHttp]', 'httpShutdown httpShutdown done [httpAccepted]']));
    // Without on_failure: rollback a 5xx never halts the machine.
    expect(edgesOf('api')).not.toContain('httpShutdown httpShutdown done [haltsOnRefusal]');
  });

  it('keeps the halt on refusal when the config rolls back', () => {
    const rollback = parseConfig(`${CONFIG}on_failure: rollback\n`, '/stack/tierdown.yaml');
    const labels = serviceGraph(rollback, 'api').chart.transitions.map((t) => t.label);
    expect(labels).toContain('httpShutdown done [haltsOnRefusal]');
  });

  it('a tier without sigterm goes from HTTP straight to forceKill', () => {
    expect(statesOf('quick')).not.toContain('sigterm');
    expect(edgesOf('quick')).toContain('httpShutdown after httpTimeout [hasProcess]');
  });

  it('a remote service has no signals: HTTP, then stopped or failed', () => {
    expect(statesOf('mirror')).toEqual(['service', 'idle', 'httpShutdown', 'awaitingExit', 'stopped', 'failed']);
    expect(edgesOf('mirror')).toContain('awaitingExit URL_SILENT [urlGone]');
    expect(edgesOf('db')).not.toContain('awaitingExit URL_SILENT [urlGone]');
  });

  it('exports the configured machine as JSON that builds the same chart, with the service as context', () => {
    const exported = serviceGraph(config, 'db');
    const rebuilt = createMachine(JSON.parse(JSON.stringify(exported.json)));
    const shape = (chart: ReturnType<typeof chartOf>) => chart.transitions.map((t) => [t.source, t.targets, t.label]);
    expect(shape(chartOf(rebuilt))).toEqual(shape(exported.chart));
    expect(exported.json.context).toMatchObject({ name: 'db', tier: 'simple', steps: ['sigterm', 'forceKill'] });
    expect(exported.mermaid).toContain('%% db: tier simple, steps sigterm → forceKill');
  });

  it('names the services there are when asked for one that is not', () => {
    expect(() => serviceGraph(config, 'nope')).toThrow('unknown service "nope" (known: db, api, quick, mirror)');
  });
});
