/**
 * The CLI's own exit. Once a command is done, Node's natural exit still tears
 * down the V8 heap page by page and waits for its worker threads: measured
 * 200–300 ms after `up` printed its last line on a loaded 2-core machine,
 * against 60–90 ms through `process.exit` (issue 14, bench/README.md). So when
 * the event loop is empty — every write flushed, every socket and file closed,
 * exactly when Node would begin to exit by itself — the process exits at once
 * with the status already set. `exit` listeners still run.
 */
export function exitWhenIdle(): void {
  process.once('beforeExit', () => process.exit());
}
