/**
 * The one check of service names a command or a caller gives (`down NAME`,
 * `restart NAME`, the control socket, `shutdown([...])`): every command, the
 * running `up` and the API say the same thing about a name the stack does not have.
 */
import type { ResolvedConfig } from '../config/types.js';

/** A name given for a service that the stack does not have (or none given where one is needed). */
export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
  readonly code = 'TIERDOWN_UNKNOWN_SERVICE';
}

/**
 * Throws unless every one of `names` is a service of `config` (and, with
 * `required`, at least one is named). The message lists the services there are.
 *
 * @throws {UnknownServiceError}
 */
export function checkServiceNames(config: Pick<ResolvedConfig, 'services'>, names: readonly string[], options: { required?: boolean } = {}): void {
  const known = config.services.map((service) => service.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length === 0 && (names.length > 0 || !options.required)) return;
  const what = unknown.length
    ? `unknown service${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => JSON.stringify(name)).join(', ')}`
    : 'name at least one service';
  throw new UnknownServiceError(`${what} (known: ${known.join(', ')})`);
}
