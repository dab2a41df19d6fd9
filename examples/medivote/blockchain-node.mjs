// blockchain_node (critical): an append-only chain of hashed blocks. Its blocks
// are the election's record, so it persists them on every stop and refuses to
// start from a chain whose hashes do not check out.
import { createHash } from 'node:crypto';
import { saveStateAtomically } from 'tierdown/service';
import { loadState, readJson, sendJson, startService, stateFileFor } from './lib/service-kit.mjs';

const stateFile = stateFileFor('blockchain_node');

const hashOf = ({ index, timestamp, data, previousHash }) =>
  createHash('sha256').update(JSON.stringify([index, timestamp, data, previousHash])).digest('hex');

function block(index, data, previousHash) {
  const draft = { index, timestamp: new Date().toISOString(), data, previousHash };
  return { ...draft, hash: hashOf(draft) };
}

function verify(chain) {
  return chain.every((entry, index) => entry.hash === hashOf(entry) && (index === 0 || entry.previousHash === chain[index - 1].hash));
}

const { chain } = await loadState(stateFile, { chain: [block(0, { genesis: 'MediVote' }, '0')] });
if (!verify(chain)) {
  console.error(`blockchain_node: ${stateFile} holds a broken chain; refusing to start`);
  process.exit(1);
}
console.log(`blockchain_node: chain of ${chain.length} blocks verified`);

startService({
  name: 'blockchain_node',
  async handle(req, res) {
    if (req.method === 'POST' && req.url === '/blocks') {
      const { data } = await readJson(req);
      if (data === undefined) return sendJson(res, 400, { error: 'expected {"data": ...}' });
      const next = block(chain.length, data, chain.at(-1).hash);
      chain.push(next);
      return sendJson(res, 201, { index: next.index, hash: next.hash });
    }
    if (req.url === '/blocks') return sendJson(res, 200, chain);
    if (req.url === '/') return sendJson(res, 200, { service: 'blockchain_node', height: chain.length, head: chain.at(-1).hash.slice(0, 12) });
    sendJson(res, 404, { error: 'not found' });
  },
  async onShutdown() {
    await saveStateAtomically(stateFile, { chain });
    console.log(`blockchain_node: ${chain.length} blocks saved`);
  },
});
