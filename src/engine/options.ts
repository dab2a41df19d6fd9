/**
 * The API's options are input like the config: a wrong one is refused with a
 * message naming it and its value before anything starts (docs/security.md, "Input bounds"). The CLI
 * checks its own flags; this guards the embedders. `graceMs` has the bound of
 * every duration (24 h): a longer one would overflow Node's timers.
 */
import { MAX_DURATION_MS } from '../config/durations.js';
import { TierdownError } from '../errors.js';

export class OrchestratorOptionError extends TierdownError<'TIERDOWN_INVALID_OPTION'> {
  declare readonly code: 'TIERDOWN_INVALID_OPTION';
  constructor(message: string) {
    super('TIERDOWN_INVALID_OPTION', message);
    this.name = 'OrchestratorOptionError';
  }
}

const CHOICES = { order: ['dependency', 'none'], onFailure: ['escalate', 'rollback'] } as const;

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
}

/** Throws an {@link OrchestratorOptionError} for the first option that is not one createOrchestrator takes. */
export function checkOrchestratorOptions(options: { graceMs?: unknown; order?: unknown; onFailure?: unknown }): void {
  const { graceMs } = options;
  if (graceMs !== undefined && !(typeof graceMs === 'number' && Number.isFinite(graceMs) && graceMs > 0 && graceMs <= MAX_DURATION_MS)) {
    throw new OrchestratorOptionError(`Expected the \`graceMs\` option to be a number of ms above 0 and at most ${MAX_DURATION_MS} (24h), got ${shown(graceMs)}`);
  }
  for (const key of ['order', 'onFailure'] as const) {
    const value = options[key];
    const choices: readonly unknown[] = CHOICES[key];
    if (value !== undefined && !choices.includes(value)) {
      throw new OrchestratorOptionError(`Expected the \`${key}\` option to be one of ${CHOICES[key].map((choice) => `"${choice}"`).join(', ')}, got ${shown(value)}`);
    }
  }
}
