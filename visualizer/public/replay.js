// Replay: a slider over the stop's clock that moves every chart, row and the
// transitions list to the state they had at that moment, read from the report
// alone (`tierdown view REPORT.json`, or a live page once its run is over).
import { $, FINAL, formatMs } from './dom.js';
import { markTimeline, renderReport } from './log.js';
import { tickService } from './rows.js';

export function setupReplay({ model, services, run, render, timeline, clearTimeline }) {
  // The orchestrator's state id for a path of keys, if the machine has it (it may change shape).
  const idFor = (...keys) => {
    let parent = null;
    let id;
    for (const key of keys) {
      const node = model.orchestrator.nodes.find((n) => n.parent === parent && n.key === key);
      if (!node) return id;
      id = parent = node.id;
    }
    return id;
  };
  let report = null;
  let playing = null;

  function showAt(atMs) {
    const end = report.durationMs;
    let allFinal = true;
    for (const entry of report.services) {
      const service = services.get(entry.name);
      if (!service) continue;
      const transitions = entry.transitions
        .map((t, i) => ({ ...t, service: entry.name, from: i === 0 ? 'idle' : entry.transitions[i - 1].to }))
        .filter((t) => t.atMs <= atMs);
      const state = transitions.at(-1)?.to ?? 'idle';
      allFinal &&= FINAL.has(state) || entry.transitions.length === 0;
      // A service that ended by itself before the stop (crashed, exited) shows so from the start.
      const before = entry.outcome === 'crashed' || entry.outcome === 'exited';
      const ended = before || FINAL.has(state) || atMs >= end;
      Object.assign(service, {
        transitions,
        state,
        wave: entry.wave,
        ready: !before,
        crash: before ? { exitCode: entry.exitCode ?? null, signal: entry.signal ?? null } : null,
        result: ended ? entry : null,
        detail: ended && entry.outcome !== 'stopped' ? (entry.detail ?? '') : '',
        waitingOn: '',
      });
    }
    const stopping = atMs >= 0 && atMs < end;
    const state = atMs < 0 ? idFor('running') : atMs >= end ? idFor(report.outcome === 'rolledBack' ? 'running' : 'done') : idFor('stopping');
    // The stop's own step, as the stop statechart names it (machines/stop.ts).
    const step = stopping ? [allFinal ? 'stop.verifying' : 'stop.asking'] : [];
    Object.assign(run, { states: [state ?? 'orchestrator.stopping', ...step], fromEngine: true, done: atMs >= end, report: atMs >= end ? report : null, stop: { waves: report.waves, services: report.services.map((s) => s.name), forced: false } });
    render();
    for (const service of services.values()) tickService(service, Math.max(0, atMs), end);
    $('#clock').textContent = formatMs(atMs);
    $('#replay-at').textContent = `${atMs < 0 ? '−' : '+'}${formatMs(Math.abs(atMs))} of ${formatMs(end)}`;
    markTimeline(atMs);
  }

  function start(finished) {
    report = finished;
    run.replaying = true;
    // A loop, not Math.min(...all): a report of 200k transitions would overflow the call stack.
    const first = report.services.reduce((earliest, s) => s.transitions.reduce((at, t) => Math.min(at, t.atMs), earliest), 0);
    const slider = $('#replay-slider');
    slider.min = String(Math.floor(first) - 1);
    slider.max = String(Math.ceil(report.durationMs));
    slider.step = 'any';
    slider.value = slider.max;
    $('#replay').hidden = false;
    clearTimeline();
    timeline(0, `shutdown: ${report.waves.map((wave, i) => `wave ${i + 1} [${wave.join(', ')}]`).join(' → ')}`, 'phase');
    for (const entry of report.services) {
      entry.transitions.forEach((t, i) => timeline(t.atMs, `${entry.name}: ${i === 0 ? 'idle' : entry.transitions[i - 1].to} → ${t.to}  (${t.reason})`, `to-${t.to}`));
    }
    timeline(report.durationMs, `report: ${report.outcome}`, `outcome-${report.outcome}`);
    renderReport(report);
    slider.oninput = () => showAt(Number(slider.value));
    $('#replay-play').onclick = () => {
      clearInterval(playing);
      if (Number(slider.value) >= Number(slider.max)) slider.value = slider.min;
      const span = Number(slider.max) - Number(slider.min);
      // Any stop plays in about four seconds.
      playing = setInterval(() => {
        const next = Math.min(Number(slider.max), Number(slider.value) + span / 80);
        slider.value = String(next);
        showAt(next);
        if (next >= Number(slider.max)) clearInterval(playing);
      }, 50);
    };
    showAt(Number(slider.max));
  }

  return { start, showAt: (atMs) => showAt(atMs) };
}
