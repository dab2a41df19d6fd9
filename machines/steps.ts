/**
 * The tier rule, in one place: which steps a service really takes. A tier lists
 * steps; a local process always ends with `forceKill` (no tier can leave it
 * running forever), and a service with no process (remote, url only) can only
 * be asked over HTTP. Config, plan, budget, `auto` and `graph` all read this;
 * the service statechart's guards then read only the steps it gives.
 */
import { STEP_NAMES, type Step } from './types.js';

/** The steps a service takes under a tier that lists `steps`, in escalation order. */
export function effectiveSteps(steps: readonly Step[], local: boolean): Step[] {
  const kept = local ? steps.filter((step) => STEP_NAMES.includes(step)) : steps.filter((step) => step === 'http');
  if (local && !kept.includes('forceKill')) kept.push('forceKill');
  return STEP_NAMES.filter((step) => kept.includes(step));
}
