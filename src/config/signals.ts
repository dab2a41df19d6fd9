/**
 * Signal names as users write them for a tier's `signal`: `SIGINT`, `INT` or
 * `sigint` all mean SIGINT. Checked against the running platform's list, so a
 * name the OS cannot send is a config error rather than a failed stop later.
 */
import { constants } from 'node:os';

/**
 * Normalises a signal name to its `SIGxxx` form.
 *
 * @returns the normalised name, or `undefined` when the platform knows no such signal.
 */
export function normaliseSignal(name: string): NodeJS.Signals | undefined {
  const upper = name.trim().toUpperCase();
  const full = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.hasOwn(constants.signals, full) ? (full as NodeJS.Signals) : undefined;
}
