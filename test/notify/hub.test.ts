// The run's NOTIFY_SOCKETs at the end of a run (src/notify/hub.ts): the files
// go first, leaving the sockets open (what a process that exits next needs),
// and closing them is a step of its own.
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import unixDgram from 'unix-dgram';
import { createNotifyHub } from '../../src/notify/hub.js';
import { unixDgram as loadDgram } from '../../src/notify/dgram.js';

const withDgram = 'missing' in loadDgram() ? describe.skip : describe;

/** A client connected to `file` (connect resolves the path once, as a service's sd_notify would). */
function connectedClient(file: string) {
  const client = unixDgram.createSocket('unix_dgram');
  const errors: string[] = [];
  client.on('error', (error: NodeJS.ErrnoException) => errors.push(String(error.code ?? error.message)));
  client.connect(file);
  return { client, errors, say: (text: string) => client.send(Buffer.from(text)) };
}

withDgram('the notify hub at the end of a run (unix-dgram is installed)', () => {
  it('removeFiles() unlinks the sockets and their folder while the sockets still hear; close() then closes them', async () => {
    const hub = createNotifyHub();
    const file = hub.socketFor('api');
    const folder = path.dirname(file);
    const { client, errors, say } = connectedClient(file);
    try {
      hub.removeFiles();
      expect(existsSync(file)).toBe(false);
      expect(existsSync(folder)).toBe(false);
      // Still open: a message from the connected client arrives.
      const ready = hub.ready('api');
      say('READY=1');
      await ready;
      expect(errors).toEqual([]);

      hub.close();
      say('STATUS=after close');
      // The socket is gone: the kernel refuses the datagram (ECONNREFUSED), nobody hears it.
      expect(errors.length).toBe(1);
      expect(hub.statusOf('api')).toBeUndefined();
      // Closing again, or removing again, finds nothing left to do.
      expect(() => {
        hub.removeFiles();
        hub.close();
      }).not.toThrow();
    } finally {
      client.close();
      hub.close();
    }
  });
});
