/**
 * Parsing `/proc/net/tcp` and `/proc/net/tcp6` (proc(5)): which sockets
 * listen on a port, by inode. Pure, so it is tested on text.
 */

/** `st` of a listening socket in /proc/net/tcp. */
export const LISTENING_STATE = '0A';

export interface ListeningSocket {
  port: number;
  /** Local address as the kernel prints it (hex); kept for messages and tests. */
  address: string;
  inode: string;
}

/** The listening sockets in one /proc/net/tcp{,6} table. */
export function parseListening(table: string): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const row of table.split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
    const fields = row.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== LISTENING_STATE) continue;
    const [address, portHex] = fields[1].split(':');
    const port = Number.parseInt(portHex, 16);
    if (!Number.isInteger(port) || fields[9] === '0') continue;
    sockets.push({ port, address, inode: fields[9] });
  }
  return sockets;
}

/** The inode a `/proc/<pid>/fd/N` link names, when it is a socket (`socket:[12345]`). */
export function socketInode(link: string): string | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(link);
  return match?.[1];
}
