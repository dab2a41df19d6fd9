/**
 * `unix-dgram`, loaded on first use: Node has no Unix datagram sockets, and
 * sd_notify is datagrams. It is an optional dependency — native, built by
 * node-gyp when tierdown is installed — so a machine without a C compiler
 * installs tierdown without it. Then tierdown gives its services no
 * NOTIFY_SOCKET and tells systemd nothing, and says why (docs/containers.md).
 */
import { createRequire } from 'node:module';
import type { createSocket } from 'unix-dgram';

export interface UnixDgram {
  createSocket: typeof createSocket;
}

let loaded: { module: UnixDgram } | { missing: string } | undefined;

function load(): { module: UnixDgram } | { missing: string } {
  try {
    return { module: createRequire(import.meta.url)('unix-dgram') as UnixDgram };
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' ? 'it is not installed' : `it does not load (${(error as Error).message.split('\n')[0]})`;
    return { missing: `sd_notify needs the optional module unix-dgram, and ${why}: it is built with a C compiler when tierdown is installed (docs/containers.md)` };
  }
}

/** The module, or why there is none. */
export function unixDgram(): { module: UnixDgram } | { missing: string } {
  loaded ??= load();
  return loaded;
}
