// incentive_system (critical): issues each validator node its credential and
// counts its rewards. Credentials are secrets handed out once: lose the file
// and every node must be re-enrolled, so it saves them on every stop.
import { createHash, randomBytes } from 'node:crypto';
import { saveStateAtomically } from 'tierdown/service';
import { getJson, loadState, sendJson, startService, stateFileFor } from './lib/service-kit.mjs';

const stateFile = stateFileFor('incentive_system');

const blockchain = process.env.BLOCKCHAIN_URL ?? 'http://127.0.0.1:28811';
const state = await loadState(stateFile, { nodes: {} });
for (const node of (process.env.NODES ?? 'node-a,node-b,node-c').split(',')) {
  state.nodes[node] ??= { key: randomBytes(32).toString('base64url'), issuedAt: new Date().toISOString(), rewards: 0 };
}
const fingerprint = (key) => createHash('sha256').update(key).digest('hex').slice(0, 12);

// A reward per new block, shared round-robin: what keeps validators validating.
let rewardedHeight = 0;
const rewarding = setInterval(async () => {
  try {
    const { height } = await getJson(`${blockchain}/`);
    const names = Object.keys(state.nodes);
    for (; rewardedHeight < height; rewardedHeight++) state.nodes[names[rewardedHeight % names.length]].rewards += 1;
  } catch (error) {
    console.error(`incentive_system: cannot read the chain: ${error.message}`);
  }
}, Number(process.env.REWARD_EVERY_MS ?? 500));

startService({
  name: 'incentive_system',
  async handle(req, res) {
    const match = /^\/credentials\/([\w-]+)$/.exec(req.url ?? '');
    if (match) {
      const node = state.nodes[match[1]];
      return node ? sendJson(res, 200, { node: match[1], fingerprint: fingerprint(node.key), rewards: node.rewards }) : sendJson(res, 404, { error: 'unknown node' });
    }
    if (req.url === '/') {
      const nodes = Object.entries(state.nodes).map(([id, node]) => ({ id, fingerprint: fingerprint(node.key), rewards: node.rewards }));
      return sendJson(res, 200, { service: 'incentive_system', nodes });
    }
    sendJson(res, 404, { error: 'not found' });
  },
  async onShutdown() {
    clearInterval(rewarding);
    await saveStateAtomically(stateFile, state, { mode: 0o600 });
    console.log(`incentive_system: credentials of ${Object.keys(state.nodes).length} nodes saved`);
  },
});
