// How a service ended, at a glance: each outcome has a colour, an icon and a
// border shape, so it reads without colour too (docs/visualizer.md, legend).
// Read from the report entry when there is one, else from what the events showed.
import { html } from './dom.js';

export const OUTCOMES = {
  clean: { icon: '✔', text: 'stopped', help: 'stopped cleanly (http, stop command or signal)' },
  killed: { icon: '⚡', text: 'killed', help: 'its stop came down to SIGKILL' },
  forced: { icon: '⚡', text: 'forced', help: 'sent to SIGKILL by a FORCE (second Ctrl-C) before it was asked: its graceful steps were skipped' },
  failed: { icon: '✖', text: 'failed', help: 'still alive after SIGKILL, or no way left to stop it' },
  crashed: { icon: '✸', text: 'crashed', help: 'ended by itself with an error (non-zero status or a signal)' },
  exited: { icon: '⏏', text: 'exited', help: 'ended by itself with status 0, before being asked' },
  refused: { icon: '⟲', text: 'refused', help: 'refused to stop: the stop was rolled back' },
  rolledBack: { icon: '⟲', text: 'restored', help: 'stopped, then started again by a rollback' },
  restarted: { icon: '↻', text: 'restarted', help: 'restarted by its restart policy (count)' },
};

const crashedBy = (exitCode, signal) => (signal ? `signal ${signal}` : `status ${exitCode}`);

// Ended by SIGKILL, named as everywhere else (machines/report.ts killedHow): straight from idle by a FORCE, or at the end of its steps.
function killed(transitions) {
  const first = transitions[0];
  return first?.to === 'forceKill' && first.reason === 'FORCE' ? { kind: 'forced', label: 'forced, never asked' } : { kind: 'killed', label: 'killed (SIGKILL)' };
}

/** How many services of a report were ended by SIGKILL (the header is not green then). */
export function killedCount(report) {
  return report ? report.services.filter((entry) => entry.method === 'kill').length : 0;
}

/** `1 killed (SIGKILL), 2 forced, never asked`, or '' when none was. */
export function killedSummary(report) {
  const labels = (report?.services ?? []).filter((entry) => entry.method === 'kill').map((entry) => killed(entry.transitions).label);
  return [...new Set(labels)].map((label) => `${labels.filter((other) => other === label).length} ${label}`).join(', ');
}

/**
 * `{ kind, label }` for a service, or null while it has not ended.
 * `entry` is its report entry (docs/report.md fields, `crashed`/`exited` included), `run` the report.
 */
export function outcomeOf(service, report) {
  const entry = service.result;
  if (entry) {
    if (entry.outcome === 'crashed') return { kind: 'crashed', label: `crashed (${crashedBy(entry.exitCode, entry.signal)})` };
    if (entry.outcome === 'exited') return { kind: 'exited', label: 'exited (status 0)' };
    if (entry.outcome === 'failed') {
      if (report?.outcome === 'rolledBack') return { kind: 'refused', label: 'refused — rolled back' };
      return { kind: 'failed', label: 'failed' };
    }
    if (report?.outcome === 'rolledBack') return { kind: 'rolledBack', label: 'stopped, then restored' };
    if (entry.method === 'kill') return killed(entry.transitions);
    if (entry.method === 'self') return { kind: 'exited', label: 'exited by itself' };
    return { kind: 'clean', label: `stopped (${entry.method})` };
  }
  if (service.crash) {
    const { exitCode, signal } = service.crash;
    return exitCode === 0 && !signal ? { kind: 'exited', label: 'exited (status 0)' } : { kind: 'crashed', label: `crashed (${crashedBy(exitCode, signal)})` };
  }
  const path = service.transitions.map((t) => t.to);
  if (service.state === 'failed') return { kind: 'failed', label: 'failed' };
  if (service.state !== 'stopped') return null;
  const before = path.at(-2);
  if (before === 'forceKill') return killed(service.transitions);
  if (!before) return { kind: 'exited', label: 'exited by itself' };
  return { kind: 'clean', label: 'stopped' };
}

/** The badge element for an outcome (icon + words; the icon is for sight, the words for everyone). */
export function badge(kind, label) {
  const item = html('span', { class: `badge outcome-${kind}`, title: OUTCOMES[kind].help });
  item.append(html('span', { class: 'icon', 'aria-hidden': 'true' }, OUTCOMES[kind].icon), document.createTextNode(label ?? OUTCOMES[kind].text));
  return item;
}

/** The legend: every outcome with its icon and colour. */
export function legend() {
  const box = html('div', { class: 'legend' });
  for (const kind of Object.keys(OUTCOMES)) box.appendChild(badge(kind, kind === 'restarted' ? 'restarted ×N' : OUTCOMES[kind].text));
  return box;
}

/** Restarts of a service so far: from the report (`restarts`) or counted from events. */
export function restartCount(service) {
  const fromReport = service.result?.restarts;
  return Array.isArray(fromReport) ? fromReport.length : service.restarts ?? 0;
}
