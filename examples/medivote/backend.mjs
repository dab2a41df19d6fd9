// backend (critical): the vote API. Votes land in a ledger at once and are
// sealed into the blockchain in batches; on stop it seals what is pending —
// blockchain_node is still up then, since it stops after its dependents — and
// saves the ledger, so no vote is ever lost. SIMULATE_VOTES_MS stands in for
// the polling stations.
import { randomUUID } from 'node:crypto';
import { saveStateAtomically } from 'tierdown/service';
import { loadState, postJson, readJson, sendJson, startService, stateFileFor } from './lib/service-kit.mjs';

const stateFile = stateFileFor('backend');

const CANDIDATES = ['alice', 'bob', 'carol'];
const blockchain = process.env.BLOCKCHAIN_URL ?? 'http://127.0.0.1:28811';
const ledger = await loadState(stateFile, { votes: [], sealedBlocks: [] });
const pending = () => ledger.votes.filter((vote) => !vote.block);

function cast(voter, candidate) {
  if (!CANDIDATES.includes(candidate)) throw Object.assign(new Error(`unknown candidate (known: ${CANDIDATES.join(', ')})`), { status: 400 });
  const vote = { id: randomUUID(), voter, candidate, at: new Date().toISOString() };
  ledger.votes.push(vote);
  return vote;
}

async function sealPending() {
  const batch = pending();
  if (batch.length === 0) return 0;
  const { index } = await postJson(`${blockchain}/blocks`, { data: { votes: batch.map(({ id, candidate }) => ({ id, candidate })) } });
  for (const vote of batch) vote.block = index;
  ledger.sealedBlocks.push(index);
  return batch.length;
}

// One seal at a time: the timer's and the shutdown's must not put the same votes in two blocks.
let sealing = Promise.resolve(0);
const seal = () => (sealing = sealing.catch(() => 0).then(sealPending));

const results = () => Object.fromEntries(CANDIDATES.map((name) => [name, ledger.votes.filter((vote) => vote.candidate === name).length]));

let station = 0;
const simulation = process.env.SIMULATE_VOTES_MS
  ? setInterval(() => cast(`station-${(station++ % 4) + 1}`, CANDIDATES[Math.floor(Math.random() * CANDIDATES.length)]), Number(process.env.SIMULATE_VOTES_MS))
  : undefined;
const sealTimer = setInterval(() => seal().catch((error) => console.error(`backend: sealing failed, will retry: ${error.message}`)), Number(process.env.SEAL_EVERY_MS ?? 1000));

startService({
  name: 'backend',
  async handle(req, res) {
    if (req.method === 'POST' && req.url === '/votes') {
      const { voter, candidate } = await readJson(req);
      return sendJson(res, 201, cast(String(voter ?? 'anonymous'), candidate));
    }
    if (req.url === '/' || req.url === '/results') {
      return sendJson(res, 200, { service: 'backend', votes: ledger.votes.length, pending: pending().length, results: results() });
    }
    sendJson(res, 404, { error: 'not found' });
  },
  async onShutdown() {
    clearInterval(simulation);
    clearInterval(sealTimer);
    try {
      const sealed = await seal();
      console.log(`backend: sealed the last ${sealed} pending votes into the chain`);
    } catch (error) {
      // Still saved below, unsealed: the next start seals them.
      console.error(`backend: could not seal pending votes (${error.message}); keeping them in the ledger`);
    }
    await saveStateAtomically(stateFile, ledger);
    console.log(`backend: ledger of ${ledger.votes.length} votes saved`);
  },
});
