/**
 * In a config file a duration needs its unit: `kill: 5` used to mean 5 ms
 * where the writer meant seconds. The schema cannot tell a file from the API
 * (where a number is ms), so the file loader runs this check on the parsed
 * text first: every number where a duration goes is a problem naming its path.
 */
import type { ConfigProblem } from './errors.js';
import { formatPath } from './problems.js';

// Where durations live, as the last keys of their path (any `timeouts` entry,
// including `timeouts.max_extend`; `ready.timeout`, `stop.timeout`, `restart.backoff`).
function isDurationPath(path: string[]): boolean {
  const [parent, key] = path.slice(-2);
  if (parent === 'timeouts') return true;
  return (parent === 'ready' || parent === 'stop') && key === 'timeout' ? true : parent === 'restart' && key === 'backoff';
}

export function bareDurationProblems(raw: unknown, at: string[] = []): ConfigProblem[] {
  if (typeof raw === 'number' && isDurationPath(at)) {
    return [{ path: formatPath(at), message: `expected a duration with a unit like "5s", got the bare number ${raw} (write "${raw}s" or "${raw}ms")` }];
  }
  if (typeof raw !== 'object' || raw === null) return [];
  return Object.entries(raw).flatMap(([key, value]) => bareDurationProblems(value, [...at, key]));
}
