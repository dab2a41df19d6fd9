// The live visualizer: draws the charts from /api/model, then follows the run
// through /api/events (engine events, replayed from the start, and status rows).
// It only shows what the engine reports; it decides nothing.
import { drawChart } from './chart.js';
import { $, FINAL, formatMs } from './dom.js';
import { renderReport, timeline } from './log.js';
import { createRow, renderService, tickService } from './rows.js';

const model = await (await fetch('/api/model')).json();
const run = {
  phase: 'orchestrator.starting.wave',
  phases: ['orchestrator.starting', 'orchestrator.starting.wave'],
  taken: [], // orchestrator arrows followed, as `from>to` state ids
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
  // The machine's arrow may start or end on an enclosing state (running → stopping).
  const lineage = (state) => state.split('.').map((_, i, all) => all.slice(0, i + 1).join('.')).slice(1);
  for (const a of lineage(from)) for (const b of lineage(id)) run.taken.push(`${a}>${b}`);
}

function markOrchestrator() {
  const parts = run.phase.split('.');
  const current = parts.map((_, i) => parts.slice(0, i + 1).join('.')).slice(1);
  orchestratorChart.mark({ current, visited: run.phases, taken: run.taken });
  $('#phase').textContent = parts.slice(1).join(' › ');
  $('#phase').dataset.phase = parts[1];
}

// --- services ------------------------------------------------------------
const services = new Map();
model.services.forEach((service, index) => {
  const record = createRow(service, index, compact);
  $('#services').appendChild(record.row);
  services.set(service.name, record);
});

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
        renderService(target, run);
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
  if (service) renderService(service, run);
  markOrchestrator();
}

function onStatus(rows) {
  for (const row of rows) {
    const service = services.get(row.name);
    if (!service) continue;
    service.waitingOn = row.waitingOn;
    if (row.pid) service.pid = row.pid;
    renderService(service, run);
  }
}

function tick() {
  const now = run.stop ? (run.report ? run.report.durationMs : Date.now() - run.stop.time) : null;
  $('#clock').textContent = run.stop ? formatMs(now) : '';
  for (const service of services.values()) tickService(service, now ?? 0, run);
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
for (const service of services.values()) renderService(service, run);
markOrchestrator();
setInterval(tick, 100);
