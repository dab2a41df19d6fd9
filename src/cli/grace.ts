/**
 * `--grace DURATION`, or `TIERDOWN_GRACE` in the environment: the time the
 * outside world gives a whole stop (docs/containers.md). The flag wins. It has
 * the config's bound (at most 24h): a longer one would overflow Node's timers.
 */
import { checkDuration } from '../config/durations.js';
import { UsageError } from './args.js';

export const GRACE_VARIABLE = 'TIERDOWN_GRACE';

/** The grace in ms, or undefined when none is set. */
export function parseGrace(flag: string | undefined, env: NodeJS.ProcessEnv): number | undefined {
  const [value, from] = flag !== undefined ? [flag, '--grace'] : [env[GRACE_VARIABLE], GRACE_VARIABLE];
  if (value === undefined || value === '') return undefined;
  // A bare number is ambiguous (seconds? ms?) like in the config file: ask for a unit.
  const checked = checkDuration(/[a-z]\s*$/i.test(value) ? value : undefined, '30s');
  if ('ms' in checked && checked.ms > 0) return checked.ms;
  if ('tooLong' in checked && checked.tooLong) throw new UsageError(`${from}: ${checked.problem}`);
  throw new UsageError(`${from}: expected a duration like "30s", got "${value}"`);
}
