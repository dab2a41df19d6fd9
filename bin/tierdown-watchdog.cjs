#!/usr/bin/env node
/**
 * tierdown's watchdog, run as `node bin/tierdown-watchdog.cjs <runId> <markerVariable> [<cgroupDir>]`
 * (started by src/actors/process/watchdog.ts). Plain CommonJS with no imports of
 * tierdown's: it runs the same from a checkout, from dist/ and from an installed
 * package, and loads in a few milliseconds.
 *
 * It reads lines from the engine on stdin — `group <pid> <startTime>` for each
 * service started, `release` once the run is over — and when stdin ends without
 * `release` (the engine died, however it died) it SIGKILLs every registered group
 * whose leader is still the process the engine started, and every process whose
 * environment carries this run's marker (descendants inherit it, even those that
 * left the group with setsid), until a scan finds none. Where the run has a
 * cgroup, it first writes `cgroup.kill` there (every service's cgroup is below
 * it, so nothing escapes), and afterwards removes the run's empty cgroups —
 * also when released, for the ones left behind. `folder <path, URI-encoded>` names
 * the run's notify sockets' folder, removed with its sockets after the sweep (a
 * released run removes its own).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const [runId, markerVariable, cgroupDir] = process.argv.slice(2);
// Shown by `ps` as `tierdown-watchdog <run id>`.
process.title = 'tierdown-watchdog ' + runId;
const tag = markerVariable + '=' + runId + '/';
const groups = new Map();
const folders = [];
let released = false;
let pending = '';
let ended = false;

// Detached from the terminal already; a stray Ctrl-C or hangup must not end the guard.
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});

function startTimeOf(pid) {
  try {
    const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

function tagged(pid) {
  try {
    return fs.readFileSync('/proc/' + pid + '/environ', 'utf8').split('\0').some((pair) => pair.startsWith(tag));
  } catch {
    return false;
  }
}

function kill(target) {
  try {
    process.kill(target, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

function cgroupPopulated() {
  try {
    return /populated 1/.test(fs.readFileSync(cgroupDir + '/cgroup.events', 'utf8'));
  } catch {
    return false;
  }
}

function removeCgroups() {
  if (!cgroupDir) return;
  try {
    for (const entry of fs.readdirSync(cgroupDir, { withFileTypes: true })) {
      if (entry.isDirectory()) try { fs.rmdirSync(cgroupDir + '/' + entry.name); } catch {}
    }
    fs.rmdirSync(cgroupDir);
  } catch {}
}

// The run's notify sockets' folder (src/notify/hub.ts): a `tierdown-notify-*` folder of the
// temp folder holding only sockets. Removed only if it still is one (not a link), its sockets one by one.
function removeFolders() {
  for (const folder of folders) {
    if (!path.isAbsolute(folder) || !path.basename(folder).startsWith('tierdown-notify-')) continue;
    try {
      if (!fs.lstatSync(folder).isDirectory()) continue;
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        if (entry.isSocket()) try { fs.unlinkSync(path.join(folder, entry.name)); } catch {}
      }
      fs.rmdirSync(folder);
    } catch {}
  }
}

function sweep() {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let round = 0; round < 50; round++) {
    let found = 0;
    if (cgroupDir && cgroupPopulated()) {
      try { fs.writeFileSync(cgroupDir + '/cgroup.kill', '1'); } catch {}
      found++;
    }
    for (const [pid, startTime] of groups) if (startTimeOf(pid) === startTime && kill(-pid)) found++;
    for (const name of fs.readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      if (startTimeOf(pid) !== undefined && tagged(pid) && kill(pid)) found++;
    }
    if (found === 0) break;
    Atomics.wait(pause, 0, 0, 20);
  }
  removeCgroups();
  removeFolders();
  process.exit(0);
}

function end() {
  if (ended) return;
  ended = true;
  if (released) {
    removeCgroups();
    process.exit(0);
  }
  sweep();
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
    const [verb, first, second] = pending.slice(0, newline).split(' ');
    pending = pending.slice(newline + 1);
    if (verb === 'group') groups.set(Number(first), second);
    // Never a crash of the guard over a line it cannot read.
    if (verb === 'folder') try { folders.push(decodeURIComponent(first)); } catch {}
    if (verb === 'release') released = true;
  }
});
process.stdin.on('end', end);
process.stdin.on('error', end);
