/**
 * In a config file a duration needs its unit: `kill: 5` used to mean 5 ms
 * where the writer meant seconds. The schema cannot tell a file from the API
 * (where a number is ms), so the file loader runs this check on the parsed
 * text first: every number where a duration goes is a problem naming its path.
 */
import type { ConfigProblem } from './errors.js';
import { formatPath } from './problems.js';
import { mapLeaves, pathOf, type Place } from './tree.js';

// Where durations live, as the last keys of their path (any `timeouts` entry,
// including `timeouts.max_extend`; `ready.timeout`, `stop.timeout`, `restart.backoff`,
// `healthcheck.interval`/`timeout`/`start_period`).
function isDurationPlace(place: Place | undefined): boolean {
  const key = place?.key;
  const parent = place?.parent?.key;
  if (parent === 'timeouts') return true;
  if (parent === 'healthcheck') return key === 'interval' || key === 'timeout' || key === 'start_period';
  return (parent === 'ready' || parent === 'stop') && key === 'timeout' ? true : parent === 'restart' && key === 'backoff';
}

export function bareDurationProblems(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  mapLeaves(raw, (value, place) => {
    if (typeof value === 'number' && isDurationPlace(place)) {
      problems.push({ path: formatPath(pathOf(place)), message: `expected a duration with a unit like "5s", got the bare number ${value} (write "${value}s" or "${value}ms")` });
    }
    return value;
  });
  return problems;
}
