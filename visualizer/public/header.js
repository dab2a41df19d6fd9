// The header's one line: what is happening, in plain words
// ("stopping — wave 2 of 3"), from the orchestrator's state and the run so far.
import { formatMs } from './dom.js';
import { killedSummary } from './outcome.js';

// `rollingBack` → "rolling back": a state the page has no words for still reads.
const words = (key) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

function currentWave(run, services) {
  if (!run.stop) return 0;
  const asked = services.filter((s) => s.wave !== null && s.transitions.length > 0).map((s) => s.wave);
  return asked.reduce((last, wave) => Math.max(last, wave), 0) + 1;
}

/** The headline for the run; `states` are the orchestrator's active leaf ids, then its stop's (`stop.verifying`). */
export function headline(run, services) {
  const parts = (run.states[0] ?? '').split('.');
  const top = parts[1] ?? '';
  // The step of a stop, from the stop machine: `asking`, `verifying`, `restoring`, `reported`.
  const step = (run.states.find((id) => id.startsWith('stop.')) ?? '').split('.')[1];
  const leaf = (top === 'stopping' ? (step ?? parts[2]) : parts.at(-1)) ?? '';
  const forced = run.stop?.forced ? ' (forced)' : '';
  const total = services.length;
  if (top === 'starting') return `starting — ${services.filter((s) => s.ready).length} of ${total} ready`;
  if (top === 'running') {
    if (run.report?.outcome === 'rolledBack') return 'running again — the stop was rolled back';
    const down = services.filter((s) => s.crash).length;
    return down ? `running — ${total - down} of ${total} up` : `running — ${total} service${total === 1 ? '' : 's'}`;
  }
  if (top === 'stopping') {
    const waves = run.stop?.waves.length ?? 0;
    if (leaf === 'verifying') return `stopping — checking nothing is left running${forced}`;
    if (leaf === 'rollingBack' || leaf === 'restoring') return 'rolling back — starting again what was stopped';
    if (leaf === 'restarting') return 'restarting — starting again what was stopped';
    if (leaf === 'reporting' || leaf === 'reported') return `stopping — writing the report${forced}`;
    if (leaf === 'stopping' || leaf === 'asking' || !leaf) return `stopping — wave ${Math.min(currentWave(run, services) || 1, waves || 1)} of ${waves || 1}${forced}`;
    return `stopping — ${words(leaf)}${forced}`;
  }
  if (top === 'done' || top === 'ended') {
    const report = run.report;
    if (!report) return 'done';
    const failed = report.services.filter((s) => s.outcome === 'failed' || s.outcome === 'crashed').length;
    if (report.outcome === 'rolledBack') return `done — rolled back after ${formatMs(report.durationMs)}`;
    if (failed) return `done — ${failed} of ${report.services.length} failed`;
    const killed = killedSummary(report);
    return `done — all stopped in ${formatMs(report.durationMs)}${killed ? `, ${killed}` : ''}`;
  }
  return words(leaf || 'connecting');
}
