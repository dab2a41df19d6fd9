// The live visualizer: draws the charts from /api/model, then follows the run
// through /api/events (engine events, replayed from the start, and status rows).
// It only shows what the engine reports; it decides nothing.
import { drawChart } from './chart.js';

const FINAL = new Set(['stopped', 'failed']);
const METHOD = { httpShutdown: 'http', awaitingExit: 'http', sigterm: 'signal', forceKill: 'kill' };
const $ = (selector) => document.querySelector(selector);

function html(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10000 ? 1 : 2)}s`;
  return `${ms.toFixed(ms < 10 ? 1 : 0)}ms`;
}

const model = await (await fetch('/api/model')).json();
const run = {
  phase: 'orchestrator.starting.wave',
  phases: ['orchestrator.starting', 'orchestrator.starting.wave'],
  stop: null, // { time, services, waves, forced }
  report: null,
  ended: false,
};

document.title = `tierdown — ${model.source}`;
$('#source').textContent = model.source;
$('#policy').textContent = `on_failure: ${model.onFailure}`;
const compact = model.services.length > 12;
document.body.classList.toggle('compact', compact);

// --- orchestrator --------------------------------------------------------
const orchestratorChart = drawChart(model.orchestrator, { name: 'orchestrator' });
$('#orchestrator').appendChild(orchestratorChart);

function enterPhase(id) {
  const from = run.phase;
  run.phase = id;
  const parts = id.split('.');
  for (let i = 2; i <= parts.length; i++) {
    const ancestor = parts.slice(0, i).join('.');
    if (!run.phases.includes(ancestor)) run.phases.push(ancestor);
  }
  run.taken ??= [];
  run.taken.push(`${from}>${id}`);
}

function markOrchestrator() {
  const parts = run.phase.split('.');
  const current = parts.map((_, i) => parts.slice(0, i + 1).join('.')).slice(1);
  orchestratorChart.mark({ current, visited: run.phases, taken: run.taken ?? [] });
  $('#phase').textContent = parts.slice(1).join(' › ');
  $('#phase').dataset.phase = parts[1];
}

// --- services ------------------------------------------------------------
const services = new Map();
model.services.forEach((service, index) => {
  const row = html('div', { class: 'service', 'data-service': service.name, 'data-state': 'idle' });
  row.style.order = String(index);
  const about = html('div', { class: 'about' });
  about.append(
    html('div', { class: 'name', title: service.name }, service.name),
    html('span', { class: `tier tier-${service.tier}`, title: `steps: ${service.steps.join(' → ')}` }, service.tier),
    html('span', { class: 'wave' }, ''),
    html('span', { class: 'pid' }, service.local ? '' : 'remote'),
  );
  const chart = drawChart(service.chart, { name: service.name, compact });
  const state = html('div', { class: 'now' });
  state.append(html('div', { class: 'state-name' }, 'starting'), html('div', { class: 'numbers' }), html('div', { class: 'waiting' }));
  const bar = html('div', { class: 'gantt', title: 'time in each state, on the shutdown clock' });
  row.append(about, html('div', { class: 'chart-cell' }), state, bar);
  row.children[1].appendChild(chart);
  $('#services').appendChild(row);
  services.set(service.name, { ...service, index, row, chart, state: 'idle', started: false, ready: false, pid: null, wave: null, transitions: [], result: null, waitingOn: '', detail: '' });
});

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

function serviceTimes(service, nowMs) {
  const left = service.transitions.find((t) => t.from === 'idle');
  if (!left) return null;
  const end = service.transitions.find((t) => FINAL.has(t.to));
  return (end ? end.atMs : nowMs) - left.atMs;
}

function renderService(service) {
  const { row } = service;
  row.dataset.state = service.state;
  const key = (state) => `service.${state}`;
  const path = ['idle', ...service.transitions.map((t) => t.to)];
  service.chart.mark({
    current: [key(service.state)],
    visited: path.map(key),
    taken: service.transitions.map((t) => `${key(t.from)}>${key(t.to)}`),
  });
  // A page following `down` sees no start: a service in the stop was running.
  const running = service.ready || (run.stop && service.wave !== null);
  const label = service.state === 'idle' ? (running ? 'idle · running' : service.started ? 'idle · starting' : 'idle') : service.state;
  row.querySelector('.state-name').textContent = label;
  row.querySelector('.wave').textContent = service.wave === null ? '' : `wave ${service.wave}`;
  if (service.pid) row.querySelector('.pid').textContent = `pid ${service.pid}`;
  const waiting = service.detail || (service.waitingOn ? `waiting on ${service.waitingOn}` : '');
  row.querySelector('.waiting').textContent = FINAL.has(service.state) && !service.detail ? (service.result?.verified ? 'verified: nothing left running' : '') : waiting;
  if (run.stop && service.wave !== null) row.style.order = String(service.wave * 10000 + service.index);
}

function tickService(service, nowMs) {
  const elapsed = serviceTimes(service, nowMs);
  const method = methodOf(service);
  service.row.querySelector('.numbers').textContent = [elapsed === null ? '' : formatMs(elapsed), method && `method ${method}`].filter(Boolean).join(' · ');
  // Gantt: one segment per state the service was in, on the shared shutdown clock.
  const bar = service.row.querySelector('.gantt');
  const total = Math.max(run.report?.durationMs ?? nowMs, 1);
  const segments = [];
  service.transitions.forEach((t, i) => {
    const next = service.transitions[i + 1];
    const start = Math.max(0, t.atMs);
    const end = FINAL.has(t.to) ? start : next ? next.atMs : nowMs;
    segments.push({ state: t.to, start, end: Math.max(end, start) });
  });
  if (bar.childElementCount !== segments.length) bar.replaceChildren(...segments.map(() => html('span')));
  segments.forEach((segment, i) => {
    const span = bar.children[i];
    span.className = `segment state-${segment.state}`;
    span.style.left = `${(segment.start / total) * 100}%`;
    span.style.width = FINAL.has(segment.state) ? '3px' : `${((segment.end - segment.start) / total) * 100}%`;
    span.title = `${segment.state} ${formatMs(segment.start)} → ${formatMs(segment.end)}`;
  });
}

// --- timeline and report -------------------------------------------------
function timeline(atMs, text, kind = '') {
  const list = $('#timeline');
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  const item = html('li', { class: kind });
  item.append(html('span', { class: 'at' }, atMs === null ? '' : `+${formatMs(atMs)}`), html('span', { class: 'what' }, text));
  list.appendChild(item);
  if (stick) list.scrollTop = list.scrollHeight;
}

function renderReport(report) {
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

// --- events ----------------------------------------------------------------
function stopFinished() {
  return run.stop && run.stop.services.every((name) => FINAL.has(services.get(name)?.state));
}

function onEvent(time, event) {
  const service = services.get(event.service);
  switch (event.type) {
    case 'spawned':
      service.started = true;
      service.pid = event.pid;
      break;
    case 'ready':
      service.ready = true;
      if ([...services.values()].every((s) => s.ready) && run.phase.startsWith('orchestrator.starting')) enterPhase('orchestrator.running');
      break;
    case 'startFailed':
      service.detail = `failed to start: ${event.message}`;
      timeline(null, `${event.service}: failed to start: ${event.message}`, 'bad');
      break;
    case 'tierResolved':
      service.detail = event.detail;
      timeline(null, `${event.service}: ${event.detail}`);
      break;
    case 'shutdownStarted':
      run.stop = { time, services: event.services, waves: event.waves, forced: event.forced };
      run.report = null;
      $('#report').hidden = true;
      event.waves.forEach((wave, index) => wave.forEach((name) => (services.get(name).wave = index)));
      for (const name of event.services) Object.assign(services.get(name), { transitions: [], result: null, detail: '' });
      enterPhase('orchestrator.stopping.escalating');
      timeline(0, `shutdown${event.forced ? ' (forced)' : ''}: ${event.waves.map((wave) => `[${wave.join(', ')}]`).join(' → ')}`, 'phase');
      break;
    case 'transition':
      service.state = event.to;
      service.transitions.push(event);
      timeline(event.atMs, `${event.service}: ${event.from} → ${event.to}  (${event.reason})`, `to-${event.to}`);
      if (stopFinished() && run.phase === 'orchestrator.stopping.escalating') enterPhase('orchestrator.stopping.verifying');
      break;
    case 'signalError':
      timeline(null, `${event.service}: ${event.message}`, 'bad');
      break;
    case 'report': {
      const report = event.report;
      run.report = report;
      for (const entry of report.services) {
        const target = services.get(entry.name);
        target.result = entry;
        if (entry.detail && entry.outcome === 'failed') target.detail = entry.detail;
      }
      if (report.outcome === 'rolledBack') enterPhase('orchestrator.stopping.rollingBack');
      enterPhase('orchestrator.stopping.reporting');
      const allFinal = [...services.values()].every((s) => FINAL.has(s.state) || s.result);
      enterPhase(allFinal && report.outcome !== 'rolledBack' ? 'orchestrator.done' : 'orchestrator.running');
      timeline(report.durationMs, `report: ${report.outcome}`, `outcome-${report.outcome}`);
      renderReport(report);
      break;
    }
  }
  if (service) renderService(service);
  markOrchestrator();
}

function onStatus(rows) {
  for (const row of rows) {
    const service = services.get(row.name);
    if (!service) continue;
    service.waitingOn = row.waitingOn;
    if (row.pid) service.pid = row.pid;
    renderService(service);
  }
}

function tick() {
  const now = run.stop ? (run.report ? run.report.durationMs : Date.now() - run.stop.time) : null;
  $('#clock').textContent = run.stop ? formatMs(now) : '';
  for (const service of services.values()) tickService(service, now ?? 0);
}

const stream = new EventSource('/api/events');
stream.onmessage = (message) => {
  const data = JSON.parse(message.data);
  if (data.kind === 'event') onEvent(data.time, data.event);
  else if (data.kind === 'status') onStatus(data.rows);
  else if (data.kind === 'end') {
    run.ended = true;
    stream.close();
    $('#connection').textContent = 'tierdown has finished — this page shows the final state';
    $('#connection').dataset.live = 'no';
  }
  tick();
};
stream.onerror = () => {
  if (run.ended) return;
  $('#connection').textContent = 'connection lost — tierdown may have exited';
  $('#connection').dataset.live = 'no';
};
stream.onopen = () => {
  $('#connection').textContent = 'live';
  $('#connection').dataset.live = 'yes';
};
for (const service of services.values()) renderService(service);
markOrchestrator();
setInterval(tick, 100);
