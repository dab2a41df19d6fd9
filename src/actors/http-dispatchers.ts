/**
 * The run's HTTP client: one keep-alive dispatcher per service (an undici
 * Agent, one Pool per origin), owned by the engine run and closed when it
 * ends. A service's readiness polls warm the connection its `POST /shutdown`
 * then reuses, so the stop pays no connect and no client set-up (the
 * critical tier's HTTP step, docs/how-it-works.md). The service's https
 * options (`shutdown.ca`/`cert`/`key`) are its Agent's connect options: they
 * apply to that service's origins only, read once when first used.
 *
 * Each connection of the pools is watched for status lines
 * (http-status-line.ts): a request made with `onStatusLine` learns its answer's
 * status before undici has the headers.
 *
 * Each new connection passes the run's connection check before it carries a
 * request (http-port-check.ts: the port must be the service's own): a
 * connection's peer is fixed once it is made, so the requests it carries later
 * (the stop's `POST /shutdown` on the connection readiness opened) need no check
 * of their own (docs/security.md).
 */
import { Agent, Client, Pool, type buildConnector, type Dispatcher } from 'undici';
import type { ResolvedService } from '../config/types.js';
import { tlsConnectOptions } from '../tls/agent.js';
import { watchStatusLines, type StatusLineSlot } from './http-status-line.js';

/** The request option that asks for the answer's status line as soon as it arrives. */
export const ON_STATUS_LINE = Symbol('tierdown.onStatusLine');

export type StatusLineOption = { [ON_STATUS_LINE]?: (status: number) => void };

/** https options of one service's connections. */
export type TlsConnect = { ca?: Buffer; cert?: Buffer; key?: Buffer };

/** Where a new connection went (undici's connect options). */
export interface ConnectionTarget {
  hostname: string;
  /** As undici has it: '' for the protocol's default. */
  port: string | number;
  protocol: string;
}

/**
 * Whether a connection just made may carry requests: an Error refuses it (the
 * socket is closed before a byte is written, and the requests waiting for it
 * fail with that error).
 */
export type ConnectionCheck = (target: ConnectionTarget) => Error | undefined;

/**
 * One connection, one request at a time (undici's default pipelining of 1, and
 * a Pool dispatches only to an idle client): the bytes that arrive after a
 * request is dispatched here are its answer, so the request arms the slot its
 * connection's watcher reads.
 */
class StatusLineClient extends Client {
  readonly #slot: StatusLineSlot;

  constructor(origin: string | URL, options: Client.Options, check?: ConnectionCheck) {
    const slot: StatusLineSlot = {};
    const connect = options.connect as buildConnector.connector;
    super(origin, {
      ...options,
      connect: (connectOptions, callback) =>
        connect(connectOptions, (...args) => {
          const socket = args[1];
          const refused = socket && check ? refusal(check, connectOptions) : undefined;
          if (refused) {
            socket?.destroy();
            callback(refused, null);
            return;
          }
          if (socket) watchStatusLines(socket, slot);
          callback(...args);
        }),
    });
    this.#slot = slot;
  }

  override dispatch(options: Dispatcher.DispatchOptions & StatusLineOption, handler: Dispatcher.DispatchHandler): boolean {
    this.#slot.next = options[ON_STATUS_LINE];
    return super.dispatch(options, handler);
  }
}

// A check that throws refuses the connection too: the token never goes where the check could not look.
function refusal(check: ConnectionCheck, target: ConnectionTarget): Error | undefined {
  try {
    return check(target);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * A keep-alive dispatcher whose connections are watched for status lines; `tls`
 * for https origins; `check` passed by every connection before its first request.
 */
export function createDispatcher(tls?: TlsConnect, check?: ConnectionCheck): Dispatcher {
  return new Agent({
    connect: tls,
    factory: (origin, options) =>
      new Pool(origin, { ...options, factory: (poolOrigin, clientOptions) => new StatusLineClient(poolOrigin, clientOptions, check) }),
  });
}

/** The run's dispatchers, one per service, made on first use. */
export interface RunDispatchers {
  /** The service's dispatcher; `tls` is read only when it is made (a failure throws then, and next time again). */
  of(name: string, tls: () => TlsConnect | undefined): Dispatcher;
  /** Closes every connection (the run is over); later requests make new dispatchers. */
  close(): Promise<void>;
}

/** `checkOf`: the check each new connection of a service passes (http-port-check.ts). */
export function createRunDispatchers(checkOf?: (name: string) => ConnectionCheck | undefined): RunDispatchers {
  const byService = new Map<string, Dispatcher>();
  return {
    of(name, tls) {
      let dispatcher = byService.get(name);
      if (!dispatcher) {
        dispatcher = createDispatcher(tls(), checkOf?.(name));
        byService.set(name, dispatcher);
      }
      return dispatcher;
    },
    async close() {
      const all = [...byService.values()];
      byService.clear();
      // destroy, not close: a request still hanging on a silent service must not hold the end of the run.
      await Promise.all(all.map((dispatcher) => dispatcher.destroy().catch(() => undefined)));
    },
  };
}

/** The run's dispatcher for a service, with its own CA / client certificate when it sets them (src/tls). */
export function serviceDispatcher(dispatchers: RunDispatchers, service: ResolvedService): Dispatcher {
  return dispatchers.of(service.name, () => tlsConnectOptions(service));
}
