// Preload for bench/ab/critical.mjs (NODE_OPTIONS=--import): in the API engine process only,
// the wall and CPU time from the harness's `stop` message to the POST /shutdown's headers
// written on the socket (undici's diagnostics channel), one line appended to $POST_TIMER_FILE.
import dc from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
if (process.argv[1]?.endsWith('api-child.js') && process.env.POST_TIMER_FILE) {
  let stop;
  const emit = process.emit;
  // Not a 'message' listener: one added before the child's own would take messages from it.
  process.emit = function (name, message, ...rest) {
    if (name === 'message' && message?.type === 'stop') stop = { at: performance.now(), cpu: process.cpuUsage() };
    return emit.call(this, name, message, ...rest);
  };
  dc.subscribe('undici:client:sendHeaders', ({ request }) => {
    if (!stop || !String(request?.path).endsWith('/shutdown')) return;
    const cpu = process.cpuUsage(stop.cpu);
    appendFileSync(process.env.POST_TIMER_FILE, `${(performance.now() - stop.at).toFixed(3)} ${((cpu.user + cpu.system) / 1000).toFixed(3)}\n`);
    stop = undefined;
  });
}
