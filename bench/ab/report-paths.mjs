// How the API's report says the services of one stop went: a count of each path, method
// and exit status (bench/README.md, "Found and fixed"). Every cooperative service should
// read `sigterm>stopped signal 0`; a `forceKill` there is a report that is wrong.
// usage: npm run build && node bench/ab/report-paths.mjs [N] [cooperative|stubborn]
import { createOrchestrator, resolveConfig } from '../../dist/src/index.js';
import { tierdownConfig } from '../../dist/bench/services.js';
const n = Number(process.argv[2] ?? 1000);
const stack = createOrchestrator(resolveConfig(tierdownConfig(n, process.argv[3] ?? 'cooperative'), '<bench>', '/tmp'));
await stack.start();
await new Promise((resolve) => setTimeout(resolve, 1500));
const report = await stack.shutdown();
const paths = {};
for (const service of report.services) {
  const key = `${service.transitions.map((transition) => transition.to).join('>')} ${service.method} ${service.exitCode ?? service.signal}`;
  paths[key] = (paths[key] ?? 0) + 1;
}
console.log(report.outcome, paths);
await stack.whenFinished();
process.exit(0);
