// One row per service: its tier-configured statechart (overview) with the current
// state, visited states and taken transitions marked, its outcome badge, elapsed
// time and method, what it waits on, and a bar of the time spent in each state.
import { drawChart } from './chart.js';
import { FINAL, formatMs, html } from './dom.js';
import { badge, outcomeOf, restartCount } from './outcome.js';

const METHOD = { httpShutdown: 'http', awaitingExit: 'http', sigterm: 'signal', forceKill: 'kill' };

/** Builds the row for `service` (from api/model) and returns its live record. */
export function createRow(service, index) {
  const row = html('div', { class: 'service', 'data-service': service.name, 'data-state': 'idle', tabindex: '0', title: 'show this statechart with its labels' });
  row.style.order = String(index);
  const about = html('div', { class: 'about' });
  about.append(
    html('div', { class: 'name', title: service.name }, service.name),
    html('span', { class: `tier tier-${service.tier}`, title: `steps: ${service.steps.join(' → ')}` }, service.tier),
    html('span', { class: 'wave' }, ''),
    html('span', { class: 'pid' }, service.local ? '' : 'remote'),
    html('div', { class: 'badges' }),
  );
  const chart = drawChart(service.chart, { name: service.name, labels: false });
  const state = html('div', { class: 'now' });
  state.append(html('div', { class: 'state-name' }, 'starting'), html('div', { class: 'numbers' }), html('div', { class: 'waiting' }));
  const bar = html('div', { class: 'gantt', title: 'time in each state, on the shutdown clock' });
  const cell = html('div', { class: 'chart-cell' });
  cell.appendChild(chart);
  row.append(about, cell, state, bar);
  return { ...service, index, row, chart, state: 'idle', life: null, started: false, ready: false, pid: null, wave: null, transitions: [], result: null, crash: null, restarts: 0, waitingOn: '', detail: '' };
}

function methodOf(service) {
  if (service.result) return service.result.method;
  const path = service.transitions.map((t) => t.to);
  if (!path.length) return '';
  const last = path.at(-1);
  if (!FINAL.has(last)) return METHOD[last] ?? '';
  if (last === 'failed') return 'none';
  const before = path.at(-2);
  return before ? METHOD[before] : 'self';
}

/** What the chart marks for a service: its state, where it has been, the arrows it took. */
export function marksOf(service) {
  const key = (state) => `service.${state}`;
  const path = ['idle', ...service.transitions.map((t) => t.to)];
  return {
    current: [key(service.state)],
    visited: path.map(key),
    taken: service.transitions.map((t) => `${key(t.from)}>${key(t.to)}`),
  };
}

export function renderService(service, run) {
  const { row } = service;
  row.dataset.state = service.state;
  service.chart.mark(marksOf(service));
  // Not asked to stop: its state in the run as the engine says it (ready, crashed, gave up…);
  // a replay, or a page following `down`, has no status rows and reads it off the events.
  const running = service.ready || (run.stop && service.wave !== null);
  const label = service.state !== 'idle' ? service.state : (service.life ?? (service.crash ? 'down' : running ? 'running' : service.started ? 'starting' : 'idle'));
  row.querySelector('.state-name').textContent = label;
  row.querySelector('.wave').textContent = service.wave === null ? '' : `wave ${service.wave + 1}`;
  row.querySelector('.pid').textContent = service.pid ? `pid ${service.pid}` : service.local ? '' : 'remote';
  const outcome = outcomeOf(service, run.report);
  row.dataset.outcome = outcome?.kind ?? '';
  const restarts = restartCount(service);
  const badges = [outcome && badge(outcome.kind, outcome.label), restarts > 0 && badge('restarted', `restarted ×${restarts}`)].filter(Boolean);
  row.querySelector('.badges').replaceChildren(...badges);
  row.classList.toggle('restarted', restarts > 0);
  const waiting = service.detail || (service.waitingOn ? `waiting on ${service.waitingOn}` : '');
  row.querySelector('.waiting').textContent = FINAL.has(service.state) && !service.detail ? (service.result?.verified ? 'verified: nothing left running' : '') : waiting;
  row.querySelector('.waiting').title = row.querySelector('.waiting').textContent;
  if (run.stop && service.wave !== null) row.style.order = String(service.wave * 10000 + service.index);
}

function serviceTimes(service, nowMs) {
  const left = service.transitions.find((t) => t.from === 'idle');
  if (!left) return null;
  const end = service.transitions.find((t) => FINAL.has(t.to));
  return (end ? end.atMs : nowMs) - left.atMs;
}

export function tickService(service, nowMs, total) {
  const elapsed = serviceTimes(service, nowMs);
  const method = methodOf(service);
  service.row.querySelector('.numbers').textContent = [elapsed === null ? '' : formatMs(elapsed), method && `method ${method}`].filter(Boolean).join(' · ');
  // Gantt: one segment per state the service was in, on the shared shutdown clock.
  const bar = service.row.querySelector('.gantt');
  const scale = Math.max(total, 1);
  const segments = service.transitions.map((t, i) => {
    const next = service.transitions[i + 1];
    const start = Math.max(0, t.atMs);
    const end = FINAL.has(t.to) ? start : next ? next.atMs : nowMs;
    return { state: t.to, start, end: Math.max(end, start) };
  });
  if (bar.childElementCount !== segments.length) {
    // A fragment, not replaceChildren(...spans): thousands of transitions would overflow the call stack.
    const spans = document.createDocumentFragment();
    for (let i = 0; i < segments.length; i++) spans.append(html('span'));
    bar.replaceChildren(spans);
  }
  segments.forEach((segment, i) => {
    const span = bar.children[i];
    span.className = `segment state-${segment.state}`;
    span.style.left = `${Math.min(100, (segment.start / scale) * 100)}%`;
    span.style.width = FINAL.has(segment.state) ? '3px' : `${Math.min(100, ((segment.end - segment.start) / scale) * 100)}%`;
    span.title = `${segment.state} ${formatMs(segment.start)} → ${formatMs(segment.end)}`;
  });
}
