// /proc/net/tcp{,6} read as text: which inodes listen on which port.
import { describe, expect, it } from '@jest/globals';
import { parseListening, socketInode } from '../../../src/actors/process/proc-net.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000     0        0 123999 1 0000000000000000 20 4 30 10 -1
   2: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 555 1 0000000000000000 100 0 0 10 0
`;

describe('parseListening', () => {
  it('keeps listening sockets only, with port and inode, IPv4 and IPv6', () => {
    expect(parseListening(TCP)).toEqual([
      { port: 8080, address: '0100007F', inode: '123456' },
      { port: 22, address: '00000000', inode: '777' },
    ]);
    expect(parseListening(TCP6)).toEqual([{ port: 8080, address: '00000000000000000000000001000000', inode: '555' }]);
  });

  it('reads socket links of /proc/<pid>/fd', () => {
    expect(socketInode('socket:[123456]')).toBe('123456');
    expect(socketInode('pipe:[1]')).toBeUndefined();
    expect(socketInode('/dev/null')).toBeUndefined();
  });
});
