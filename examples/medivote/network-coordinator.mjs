// network_coordinator (critical): the registry of validator nodes and their
// last heartbeat. Only tierdown may stop it: its POST /shutdown answers 401 to
// anyone without the run's token (tierdown/service checks it in constant time).
import { saveStateAtomically } from 'tierdown/service';
import { getJson, loadState, sendJson, startService, stateFileFor } from './lib/service-kit.mjs';

const stateFile = stateFileFor('network_coordinator');

const incentives = process.env.INCENTIVE_URL ?? 'http://127.0.0.1:28813';
const registry = await loadState(stateFile, { nodes: {} });

// Enrol every node that holds a credential; depends_on guarantees incentive_system is ready.
const { nodes } = await getJson(`${incentives}/`);
for (const { id, fingerprint } of nodes) registry.nodes[id] = { ...registry.nodes[id], fingerprint, enrolledAt: registry.nodes[id]?.enrolledAt ?? new Date().toISOString() };

// Stand-in for the nodes' own heartbeats.
const heartbeats = setInterval(() => {
  const now = new Date().toISOString();
  for (const node of Object.values(registry.nodes)) node.lastSeen = now;
}, Number(process.env.HEARTBEAT_MS ?? 250));

startService({
  name: 'network_coordinator',
  async handle(req, res) {
    if (req.url === '/' || req.url === '/nodes') {
      return sendJson(res, 200, { service: 'network_coordinator', nodes: Object.keys(registry.nodes).length, registry: registry.nodes });
    }
    sendJson(res, 404, { error: 'not found' });
  },
  async onShutdown() {
    clearInterval(heartbeats);
    await saveStateAtomically(stateFile, registry);
    console.log(`network_coordinator: registry of ${Object.keys(registry.nodes).length} nodes saved`);
  },
});
