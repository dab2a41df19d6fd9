/**
 * The port must be the service's own (docs/security.md): the check each new
 * connection to a local service's port passes before it carries a request, so
 * neither the run's token nor a readiness answer goes to a process that took
 * the port first. It runs where the connection is made (http-dispatchers.ts),
 * once per connection: the peer of a connection is fixed once it is made (the
 * service's listener accepted it), so the requests a kept connection carries
 * later — the stop's `POST /shutdown` on the connection readiness opened — pay
 * no listening-table read. A connection made by the stop itself is checked
 * then, before its first byte.
 *
 * Checked on the service's own port, the one another process can take before
 * the service binds it; a URL on another local port is one the user pointed at
 * on purpose (a sidecar, an admin listener).
 */
import { TierdownError } from '../errors.js';
import { isLoopbackHost } from '../config/endpoints.js';
import type { ResolvedService } from '../config/types.js';
import { describeSquatter, portOwnershipOf } from './process/port-owner.js';
import type { ServiceProcess } from './process/spawn.js';
import type { ConnectionCheck, ConnectionTarget } from './http-dispatchers.js';

/** A connection refused because something else than the service listens on its port. */
export class PortTakenError extends TierdownError<'TIERDOWN_PORT_TAKEN'> {
  override name = 'PortTakenError';

  constructor(message: string) {
    super('TIERDOWN_PORT_TAKEN', message);
  }
}

function portOf(target: ConnectionTarget): number {
  return Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
}

/**
 * The connection check of `service`: `processOf` is read when a connection is
 * made (the service's process of the moment); none, a remote service, another
 * host or another port: nothing to check.
 */
export function portOwnerCheck(service: ResolvedService, processOf: () => ServiceProcess | undefined): ConnectionCheck | undefined {
  if (service.port === undefined || !service.command) return undefined;
  const port = service.port;
  return (target) => {
    const handle = processOf();
    if (!handle || portOf(target) !== port || !isLoopbackHost(target.hostname)) return undefined;
    const owner = portOwnershipOf(handle, port);
    return owner.kind === 'foreign' ? new PortTakenError(describeSquatter(port, owner)) : undefined;
  };
}
