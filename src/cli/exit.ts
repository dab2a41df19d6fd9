/**
 * The CLI's own exit. Once a command is done, Node's natural exit still tears
 * down the V8 heap page by page and waits for its worker threads: measured
 * 200–300 ms after `up` printed its last line on a loaded 2-core machine,
 * against 60–90 ms through `process.exit` (issue 14, bench/README.md). So the
 * process exits with the command's status as soon as the command is done
 * (`exitWhenDone`), and — where that has to wait — when the event loop is empty
 * (`exitWhenIdle`): every write flushed, every socket and file closed, exactly
 * when Node would begin to exit by itself. `exit` listeners run either way.
 */
export function exitWhenIdle(): void {
  process.once('beforeExit', () => process.exit());
}

/**
 * A command resolved with `status`: everything it awaited is done. An empty
 * event loop can still be far off — Node first waits for V8's background
 * compile jobs (a stop makes its functions hot), and a long-lived engine's last
 * handles close a turn after its run (src/engine/run.ts: 1000 notify sockets,
 * ~90 ms) — so the process exits once what it wrote to stdout and stderr has
 * left (a pipe its reader has not emptied yet holds the report's last lines).
 * A parent still listening on an IPC channel (`up -d`'s supervisor tells its
 * launcher how the start went) is left to `exitWhenIdle`.
 */
export function exitWhenDone(status: number): void {
  process.exitCode = status;
  if (process.connected) return;
  const writing = [process.stdout, process.stderr].filter((stream) => stream.writableLength > 0);
  let left = writing.length;
  if (left === 0) process.exit();
  // An empty write's callback comes once everything written before it has left.
  for (const stream of writing) {
    stream.write('', () => {
      if (--left === 0) process.exit();
    });
  }
}
