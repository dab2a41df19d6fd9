// The transitions list, kept in time order whatever order events arrive in,
// and the final report table.
import { $, formatMs, html } from './dom.js';
import { badge, outcomeOf } from './outcome.js';

const entries = [];

/** Adds a line at `atMs` (ms on the shutdown clock; null: now, after everything so far). */
export function timeline(atMs, text, kind = '') {
  const list = $('#timeline');
  const at = atMs ?? (entries.length ? entries.at(-1).at : -Infinity);
  const item = html('li', { class: kind, 'data-at': String(at) });
  item.append(html('span', { class: 'at' }, atMs === null ? '' : `+${formatMs(atMs)}`), html('span', { class: 'what' }, text));
  // After every entry at or before `at`: equal times keep their arrival order.
  let index = entries.length;
  while (index > 0 && entries[index - 1].at > at) index -= 1;
  entries.splice(index, 0, { at, item });
  list.insertBefore(item, entries[index + 1]?.item ?? null);
}

export function clearTimeline() {
  entries.splice(0);
  $('#timeline').replaceChildren();
}

/** Replay: entries later than `atMs` are shown as still to come. */
export function markTimeline(atMs) {
  for (const entry of entries) entry.item.classList.toggle('future', entry.at > atMs);
}

export function renderReport(report) {
  const panel = $('#report');
  panel.hidden = false;
  $('#outcome').textContent = `${report.outcome} in ${formatMs(report.durationMs)}`;
  $('#outcome').dataset.outcome = report.outcome;
  const table = html('table');
  const head = html('tr');
  for (const title of ['service', 'tier', 'wave', 'outcome', 'method', 'time', 'path', 'verified']) head.appendChild(html('th', {}, title));
  table.appendChild(head);
  for (const entry of report.services) {
    const row = html('tr', { 'data-outcome': entry.outcome });
    const outcome = outcomeOf({ result: entry, transitions: [] }, report);
    const cells = [entry.name, entry.tier, String(entry.wave + 1), null, entry.method, formatMs(entry.durationMs), entry.path.join(' → '), entry.verified ? 'yes' : 'no'];
    for (const value of cells) {
      const cell = html('td', {}, value ?? undefined);
      if (value === null) cell.appendChild(badge(outcome.kind, outcome.label));
      row.appendChild(cell);
    }
    table.appendChild(row);
    if (entry.detail) {
      const note = html('tr', { class: 'detail' });
      note.appendChild(html('td', { colspan: '8' }, `${entry.name}: ${entry.detail}`));
      table.appendChild(note);
    }
  }
  $('#report-table').replaceChildren(table);
  $('#report-summary').textContent = `${report.services.length} services in ${report.waves.length} waves, started ${report.startedAt}${report.earlier?.length ? `; ${report.earlier.length} earlier stop(s) in this run` : ''}`;
}
