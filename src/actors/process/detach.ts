/**
 * Letting the engine exit while services keep running (after a rollback that
 * `up` was asked for by a signal: the stack is back, the run is over). A
 * service whose stdout pipe loses its reader dies of EPIPE at its next log
 * line, so the read ends are handed to one small detached drain process that
 * appends each stream to a log file.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pathInside } from '../../files/contained.js';
import type { ServiceProcess } from './spawn.js';

// fd 3.. are the inherited pipes, in the order of the files in argv.
// They are read as sockets: the engine's libuv left them non-blocking, which
// plain fs reads would meet with EAGAIN.
const DRAIN_PROGRAM = `
const fs = require('node:fs'); const net = require('node:net');
process.argv.slice(1).forEach((file, index) => {
  const pipe = new net.Socket({ fd: 3 + index, readable: true, writable: false });
  pipe.on('error', () => {});
  pipe.pipe(fs.createWriteStream(file, { flags: 'a' }));
});`;

/** Hands the services' output to a drain writing `<logDir>/<service>.<stream>.log`, and lets go of them. */
export function detachServices(services: ServiceProcess[], logDir: string): void {
  mkdirSync(logDir, { recursive: true });
  const streams: Readable[] = [];
  const files: string[] = [];
  for (const service of services) {
    for (const kind of ['stdout', 'stderr'] as const) {
      const stream = service.output[kind];
      if (!stream || stream.destroyed) continue;
      files.push(pathInside(logDir, `${service.name}.${kind}.log`));
      stream.pause();
      streams.push(stream);
    }
  }
  if (streams.length) {
    const drain = spawn(process.execPath, ['-e', DRAIN_PROGRAM, ...files], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', ...streams],
    });
    drain.on('error', () => undefined);
    drain.unref();
  }
  // The drain holds its own copies of the pipes now; ours may close.
  for (const stream of streams) stream.destroy();
  for (const service of services) service.unref();
}
