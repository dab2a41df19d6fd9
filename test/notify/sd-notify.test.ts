// sd_notify both ways (docs/containers.md), with a real Unix datagram socket bound
// by the test as systemd would bind it: services speak to tierdown (READY=1,
// STATUS=, STOPPING=1, EXTEND_TIMEOUT_USEC) and tierdown speaks to "systemd".
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import unixDgram from 'unix-dgram';
import { configDir, startCli } from '../helpers/cli.js';
import { ownProcesses } from '../helpers/owned.js';

const owned = ownProcesses();
const SERVICE = fileURLToPath(new URL('../fixtures/notify-service.mjs', import.meta.url));

/** A datagram socket bound where systemd's would be; collects every message. */
function fakeSystemd() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-systemd-'));
  const file = path.join(dir, 'notify');
  const messages: string[] = [];
  const socket = unixDgram.createSocket('unix_dgram', (message) => messages.push(message.toString()));
  socket.bind(file);
  owned.onCleanup(() => {
    socket.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, messages };
}

function service(name: string, env: Record<string, string>, timeouts: string) {
  return (
    `  ${name}:\n    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SERVICE)}]\n` +
    `    env: ${JSON.stringify({ FIX_PID_FILE: owned.ledger.pidFile, ...env })}\n    ready: { notify: true, timeout: 10s }\n    timeouts: ${timeouts}\n`
  );
}

describe('sd_notify', () => {
  it('waits for READY=1, shows STATUS, extends a saving service and escalates one that stops asking; tells systemd in order', async () => {
    const systemd = fakeSystemd();
    const yaml =
      'version: 1\nservices:\n' +
      // Asks for 1.5 s every 200 ms, four times: it outlives its 300 ms SIGTERM budget by far, and exits.
      service('saver', { NOTIFY_VIA: 'systemd-notify', READY_DELAY_MS: '300', EXTEND_TIMES: '4', EXTEND_MS: '1500', EXTEND_EVERY_MS: '200', THEN: 'exit' }, '{ sigterm: 300ms, kill: 500ms, max_extend: 10s }') +
      // Asks twice, then hangs without asking again: escalated when the last grant runs out.
      service('hanger', { EXTEND_TIMES: '2', EXTEND_MS: '400', EXTEND_EVERY_MS: '100', THEN: 'hang' }, '{ sigterm: 300ms, kill: 500ms }');
    const made = configDir(yaml);
    owned.onCleanup(made.cleanup);
    const cli = startCli(['up', '-c', made.file, '--report', 'report.json'], { cwd: made.dir, env: { NOTIFY_SOCKET: systemd.file } });
    owned.onCleanup(cli.kill);
    await cli.waitFor('services ready', 30_000);
    cli.child.kill('SIGTERM');
    const result = await cli.exited;
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('saver: READY, status: serving');
    expect(result.stdout).toContain('saver: status: saving');
    expect(result.stdout).toMatch(/saver: asks for 1\.5s more/);

    const report = JSON.parse(readFileSync(path.join(made.dir, 'report.json'), 'utf8'));
    const byName = Object.fromEntries(report.services.map((entry: { name: string }) => [entry.name, entry]));
    const reasons = (name: string) => byName[name].transitions.map((t: { to: string; reason: string }) => `${t.to}:${t.reason}`);
    expect(byName.saver).toMatchObject({ outcome: 'stopped', method: 'signal' });
    expect(reasons('saver').filter((reason: string) => reason === 'sigterm:EXTEND_TIMEOUT')).toHaveLength(4);
    expect(byName.saver.durationMs).toBeGreaterThan(300);
    expect(byName.saver.detail).toMatch(/asked for more time 4× \(EXTEND_TIMEOUT_USEC\)/);
    expect(reasons('hanger')).toEqual(['sigterm:SHUTDOWN', 'sigterm:EXTEND_TIMEOUT', 'sigterm:EXTEND_TIMEOUT', 'forceKill:sigtermTimeout', 'stopped:PROCESS_EXITED']);
    expect(byName.hanger.method).toBe('kill');
    expect(owned.ledger.survivors()).toEqual([]);

    // tierdown's own messages, in order.
    const keys = systemd.messages.map((message) => message.split('\n').map((line) => line.split('=')[0]).join('+'));
    expect(keys[0]).toBe('READY+STATUS');
    expect(systemd.messages[0]).toContain('STATUS=all 2 services ready');
    expect(keys[1]).toBe('STOPPING+STATUS+EXTEND_TIMEOUT_USEC');
    expect(systemd.messages[1]).toMatch(/EXTEND_TIMEOUT_USEC=\d+/);
    // hanger came down to SIGKILL: the last STATUS= says so.
    expect(systemd.messages.at(-1)).toMatch(/^STATUS=stopped in \d+ ms, 1 killed \(SIGKILL\)$/);
  }, 60_000);

  it('a service that never says READY=1 is not ready', async () => {
    const yaml = 'version: 1\nservices:\n' + service('mute', { READY_DELAY_MS: '100000' }, '{ sigterm: 300ms, kill: 300ms }').replace('timeout: 10s', 'timeout: 500ms');
    const made = configDir(yaml);
    owned.onCleanup(made.cleanup);
    const cli = startCli(['up', '-c', made.file], { cwd: made.dir });
    owned.onCleanup(cli.kill);
    const result = await cli.exited;
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('not ready after 500 ms (waited for READY=1 on its NOTIFY_SOCKET)');
  }, 30_000);
});
