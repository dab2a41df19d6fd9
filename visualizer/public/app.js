// The visualizer: draws the charts from api/model, then follows the run through
// api/events (engine events, replayed from the start, the orchestrator's state,
// status rows). Once the run is over — or for `tierdown view` — a slider replays
// the stop from its report. It only shows what the engine reports; it decides nothing.
import { drawChart } from './chart.js';
import { $, FINAL, formatMs } from './dom.js';
import { headline } from './header.js';
import { clearTimeline, renderReport, timeline } from './log.js';
import { killedCount, legend } from './outcome.js';
import { setupReplay } from './replay.js';
import { createRow, marksOf, renderService, tickService } from './rows.js';

const model = await (await fetch('api/model')).json();
const run = {
  states: [], // the orchestrator's active leaf state ids
  fromEngine: false, // states come from the engine (else inferred from events: `down --ui`)
  done: false,
  stop: null, // { time, services, waves, forced }
  report: null,
  live: false,
  replaying: false,
};

document.title = `tierdown — ${model.source.split('/').at(-1)}`;
$('#source').textContent = model.source.split('/').slice(-2).join('/');
$('#source').title = model.source;
$('#policy').textContent = `on_failure: ${model.onFailure}`;
$('#legend').replaceChildren(legend());

// --- charts ----------------------------------------------------------------
const orchestratorChart = drawChart(model.orchestrator, { name: 'orchestrator' });
$('#orchestrator').appendChild(orchestratorChart);
// A big chart scrolls inside its panel below ~1000px rather than shrink its labels away.
orchestratorChart.style.minWidth = `${Math.min(1000, model.orchestrator.width)}px`;
const stateIds = new Set(model.orchestrator.nodes.map((node) => node.id));
const services = new Map();
model.services.forEach((service, index) => {
  const record = createRow(service, index);
  $('#services').appendChild(record.row);
  services.set(service.name, record);
  const select = () => selectService(service.name);
  record.row.addEventListener('click', select);
  record.row.addEventListener('keydown', (event) => event.key === 'Enter' && select());
});

let selected = null;
function selectService(name) {
  const service = services.get(name);
  if (!service) return;
  selected = { name, chart: drawChart(service.labelled, { name: `${name}-detail` }) };
  $('#detail-name').textContent = `${name} (${service.tier}: ${service.steps.join(' → ')})`;
  $('#detail').replaceChildren(selected.chart);
  for (const record of services.values()) record.row.classList.toggle('selected', record.name === name);
  selected.chart.mark(marksOf(service));
}
if (model.services.length) selectService(model.services[0].name);

// --- the orchestrator's state ------------------------------------------------
const idOf = (key) => `${model.orchestrator.nodes.find((node) => node.parent === null && node.key === key)?.id ?? ''}`;
// Without the engine's own state (`down --ui`), the coarse phase the events imply.
function inferStates() {
  if (run.fromEngine) return;
  const all = [...services.values()];
  let key = all.some((s) => s.ready) && all.every((s) => s.ready || s.crash) ? 'running' : 'starting';
  if (run.stop) key = 'stopping';
  if (run.report) key = all.every((s) => FINAL.has(s.state) || s.result) && run.report.outcome !== 'rolledBack' ? 'done' : 'running';
  run.states = [idOf(key) || `orchestrator.${key}`];
  run.done = key === 'done';
}

function markOrchestrator() {
  const ancestors = (id) => id.split('.').map((_, i, all) => all.slice(0, i + 1).join('.')).slice(1);
  const current = run.states.flatMap(ancestors).filter((id) => stateIds.has(id));
  orchestratorChart.mark({ current, visited: current, taken: [] });
  $('#phase').textContent = headline(run, [...services.values()]);
  $('#phase').dataset.phase = (run.states[0] ?? '').split('.')[1] ?? '';
  // A stop that came down to SIGKILL is not a green "done".
  $('#phase').dataset.killed = killedCount(run.report) > 0 ? 'yes' : 'no';
}

function showLive() {
  const text = run.replaying ? 'replay — drag the timeline' : run.done ? 'finished — showing the final state' : run.live ? 'live' : 'connecting…';
  $('#connection').textContent = text;
  $('#connection').dataset.live = run.live && !run.done && !run.replaying ? 'yes' : 'no';
}

// --- events ----------------------------------------------------------------
function onEvent(time, event) {
  const service = services.get(event.service);
  switch (event.type) {
    case 'spawned':
      // Spawned again after it ended by itself: its restart policy brought it back (a fresh statechart).
      if (service.crash) Object.assign(service, { restarts: Math.max(service.restarts, 1), crash: null, state: 'idle', transitions: [], detail: '' });
      service.started = true;
      service.pid = event.pid;
      break;
    case 'ready':
      service.ready = true;
      break;
    case 'startFailed':
      service.detail = `failed to start: ${event.message}`;
      timeline(null, `${event.service}: failed to start: ${event.message}`, 'bad');
      break;
    case 'tierResolved':
      service.detail = event.detail;
      timeline(null, `${event.service}: ${event.detail}`);
      break;
    case 'exited': // ended while nobody asked it to stop (docs/visualizer.md)
      service.crash = { exitCode: event.exitCode ?? null, signal: event.signal ?? null };
      service.ready = false;
      timeline(null, `${event.service}: ${event.crashed ? `crashed (${event.signal ? `signal ${event.signal}` : `status ${event.exitCode}`})` : 'exited (status 0)'}`, 'bad');
      break;
    case 'restartScheduled':
      service.restarts = Math.max(service.restarts, event.restart);
      service.detail = `restart ${event.restart} in ${formatMs(event.backoffMs)}`;
      timeline(null, `${event.service}: restart ${event.restart} in ${formatMs(event.backoffMs)}`);
      break;
    case 'restartsExhausted':
      service.detail = `stays down: ${event.restarts} restarts used up`;
      timeline(null, `${event.service}: stays down after ${event.restarts} restarts`, 'bad');
      break;
    case 'unhealthy': // its health checks failed `failures` times in a row (docs/config.md#healthcheck)
      service.detail = `unhealthy: ${event.detail}`;
      timeline(null, `${event.service}: unhealthy (${event.failures} checks failed in a row: ${event.detail})`, 'bad');
      break;
    case 'healthy':
      service.detail = '';
      timeline(null, `${event.service}: healthy again`);
      break;
    case 'shutdownStarted':
      run.stop = { time, services: event.services, waves: event.waves, forced: event.forced };
      run.report = null;
      $('#report').hidden = true;
      event.waves.forEach((wave, index) => wave.forEach((name) => (services.get(name).wave = index)));
      for (const name of event.services) Object.assign(services.get(name), { transitions: [], result: null, detail: '' });
      timeline(0, `shutdown${event.forced ? ' (forced)' : ''}: ${event.waves.map((wave, i) => `wave ${i + 1} [${wave.join(', ')}]`).join(' → ')}`, 'phase');
      break;
    case 'transition':
      service.state = event.to;
      service.transitions.push(event);
      timeline(event.atMs, `${event.service}: ${event.from} → ${event.to}  (${event.reason})`, `to-${event.to}`);
      break;
    case 'signalError':
      timeline(null, `${event.service}: ${event.message}`, 'bad');
      break;
    case 'report': {
      run.report = event.report;
      for (const entry of event.report.services) {
        const target = services.get(entry.name);
        if (!target) continue;
        target.result = entry;
        target.wave = entry.wave;
        if (entry.detail && entry.outcome !== 'stopped') target.detail = entry.detail;
      }
      timeline(event.report.durationMs, `report: ${event.report.outcome}`, `outcome-${event.report.outcome}`);
      renderReport(event.report);
      break;
    }
  }
  if (service) renderService(service, run);
}

function render() {
  inferStates();
  markOrchestrator();
  for (const service of services.values()) renderService(service, run);
  if (selected) selected.chart.mark(marksOf(services.get(selected.name)));
  showLive();
}

function tick() {
  if (run.replaying) return;
  const now = run.stop ? (run.report ? run.report.durationMs : Date.now() - run.stop.time) : null;
  $('#clock').textContent = run.stop ? formatMs(now) : '';
  for (const service of services.values()) tickService(service, now ?? 0, run.report?.durationMs ?? now ?? 1);
}

const replay = setupReplay({ model, services, run, render, timeline, clearTimeline });
// The run is over: the page turns into its replay (the same slider as `tierdown view`).
function maybeReplay() {
  if (run.replaying || !run.report || !(run.done || model.mode === 'replay')) return;
  replay.start(run.report);
}

const stream = new EventSource('api/events');
stream.onmessage = (message) => {
  const data = JSON.parse(message.data);
  if (data.kind === 'event') onEvent(data.time, data.event);
  else if (data.kind === 'phase') Object.assign(run, { states: data.states, done: data.done, fromEngine: true });
  else if (data.kind === 'status') {
    // The engine's one status row per service: its state as ps says it, its pid (none once ended).
    for (const row of data.rows) {
      const service = services.get(row.name);
      if (!service) continue;
      service.waitingOn = row.waitingOn;
      service.life = row.state;
      service.pid = row.pid;
    }
  } else if (data.kind === 'end') {
    stream.close();
    run.live = false;
    run.done = run.done || Boolean(run.report);
  }
  if (!run.replaying) render();
  tick();
  maybeReplay();
};
stream.onerror = () => {
  // A reconnect would replay the whole history again: the run this page shows is over for it.
  stream.close();
  if (run.done || run.replaying) return;
  run.live = false;
  showLive();
  if (stream.readyState === EventSource.CLOSED) $('#connection').textContent = 'connection lost — tierdown may have exited';
};
stream.onopen = () => {
  run.live = model.mode === 'live';
  showLive();
};
render();
setInterval(tick, 100);
