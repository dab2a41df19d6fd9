// The transitions list and the final report.
import { $, formatMs, html } from './dom.js';

export function timeline(atMs, text, kind = '') {
  const list = $('#timeline');
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  const item = html('li', { class: kind });
  item.append(html('span', { class: 'at' }, atMs === null ? '' : `+${formatMs(atMs)}`), html('span', { class: 'what' }, text));
  list.appendChild(item);
  if (stick) list.scrollTop = list.scrollHeight;
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
    for (const value of [entry.name, entry.tier, String(entry.wave), entry.outcome, entry.method, formatMs(entry.durationMs), entry.path.join(' → '), entry.verified ? 'yes' : 'no']) row.appendChild(html('td', {}, value));
    table.appendChild(row);
    if (entry.detail) {
      const note = html('tr', { class: 'detail' });
      note.appendChild(html('td', { colspan: '8' }, `${entry.name}: ${entry.detail}`));
      table.appendChild(note);
    }
  }
  $('#report-table').replaceChildren(table);
  $('#report-summary').textContent = `${report.services.length} services in ${report.waves.length} waves, started ${report.startedAt}`;
}

