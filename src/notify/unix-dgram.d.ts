// Types for the parts of `unix-dgram` tierdown uses (the package ships none).
declare module 'unix-dgram' {
  import type { EventEmitter } from 'node:events';
  export interface UnixDgramSocket extends EventEmitter {
    bind(path: string): void;
    send(buffer: Buffer, offset: number, length: number, path: string, callback?: (error?: Error) => void): void;
    /** On a connected socket (tests: a client that resolved the path once, as sd_notify's may). */
    send(buffer: Buffer, callback?: (error?: Error) => void): void;
    connect(path: string): void;
    close(): void;
  }
  export function createSocket(type: 'unix_dgram', listener?: (message: Buffer) => void): UnixDgramSocket;
  const unixDgram: { createSocket: typeof createSocket };
  export default unixDgram;
}
