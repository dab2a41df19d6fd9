// Reading /proc/net/tcp{,6} up to its last listening row.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readListeningRows } from '../../../src/actors/process/listening-table.js';
import { parseListening } from '../../../src/actors/process/proc-net.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (index: number, port: number, state: string, inode: number) =>
  `${String(index).padStart(4)}: 0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function tableFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-tcp-'));
  dirs.push(dir);
  const file = path.join(dir, 'tcp');
  writeFileSync(file, text);
  return file;
}

describe('readListeningRows', () => {
  it('stops at the first row that is not listening, as the kernel lists listeners first', () => {
    const text = HEADER + row(0, 8080, '0A', 11) + row(1, 22, '0A', 12) + row(2, 8080, '06', 0) + row(3, 9090, '01', 13);
    expect(readListeningRows(tableFile(text))).toBe(HEADER + row(0, 8080, '0A', 11) + row(1, 22, '0A', 12));
  });

  it('reads listeners that span many chunks, and a table with nothing else', () => {
    const listeners = Array.from({ length: 500 }, (_, index) => row(index, 1000 + index, '0A', 5000 + index)).join('');
    const rows = readListeningRows(tableFile(HEADER + listeners));
    expect(parseListening(rows)).toHaveLength(500);
    expect(readListeningRows(tableFile(HEADER))).toBe(HEADER);
  });

  it('finds a socket listening on this machine', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(parseListening(readListeningRows('/proc/net/tcp')).some((socket) => socket.port === port)).toBe(true);
  });

  it('throws as a file read does when the table is missing', () => {
    expect(() => readListeningRows('/proc/net/no-such-table')).toThrow(/ENOENT/);
  });
});
