/**
 * The one check of service names a command or a caller gives (`down NAME`,
 * `restart NAME`, `graph --service NAME`, the control socket, `shutdown([...])`):
 * every command, the running `up` and the API say the same thing about a name
 * the stack does not have.
 */
import type { ResolvedConfig } from '../config/types.js';
import { TierdownError } from '../errors.js';

/**
 * A name given for a service that the stack does not have (`TIERDOWN_UNKNOWN_SERVICE`),
 * or none given where one is needed (`TIERDOWN_USAGE`).
 */
export class UnknownServiceError extends TierdownError<'TIERDOWN_UNKNOWN_SERVICE' | 'TIERDOWN_USAGE'> {
  override name = 'UnknownServiceError';
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
  const list = `(known: ${known.join(', ')})`;
  if (unknown.length) {
    throw new UnknownServiceError('TIERDOWN_UNKNOWN_SERVICE', `unknown service${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => JSON.stringify(name)).join(', ')} ${list}`);
  }
  if (names.length === 0 && options.required) throw new UnknownServiceError('TIERDOWN_USAGE', `name at least one service ${list}`);
}
