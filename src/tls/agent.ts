/**
 * A service's https options: its own CA and, for mutual TLS, client
 * certificate (`shutdown.ca`/`cert`/`key`, docs/containers.md), for the run's
 * dispatcher of that service (src/actors/http-dispatchers.ts). The files are
 * read when it is made, so a missing one is a clear failure of that service's step.
 */
import { InputFileError, readInputFile } from '../files/bounded-read.js';
import type { HttpResult } from '../../machines/service.js';
import type { ResolvedService } from '../config/types.js';
import { TierdownError } from '../errors.js';

export class TlsFileError extends TierdownError<'TIERDOWN_TLS_FILE'> {
  override name = 'TlsFileError';
  constructor(message?: string) {
    super('TIERDOWN_TLS_FILE', message);
  }
}

const read = (what: string, file: string | undefined) => {
  if (file === undefined) return undefined;
  try {
    return readInputFile(file);
  } catch (error) {
    throw new TlsFileError(`cannot read shutdown.${what} ${file}: ${(error as InputFileError).errno ?? (error as Error).message}`);
  }
};

type TlsFiles = NonNullable<ResolvedService['tls']>;

const readFiles = (tls: TlsFiles) => ({ ca: read('ca', tls.ca), cert: read('cert', tls.cert), key: read('key', tls.key) });

/** The service's CA and client certificate as connect options, the files read now; none without TLS files. */
export function tlsConnectOptions(service: ResolvedService): { ca?: Buffer; cert?: Buffer; key?: Buffer } | undefined {
  return service.tls && readFiles(service.tls);
}

/** How a TLS failure reads in a report: the verdict first, then node's own words. */
export function describeTlsError(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const code = String((current as { code?: unknown }).code ?? '');
    const message = (current as Error).message ?? '';
    if (/^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code) || /alert|certificate|handshake/i.test(message)) {
      return `TLS: ${code ? `${code}: ` : ''}${message}`;
    }
  }
  return undefined;
}

/**
 * Under TLS 1.3 a server that refuses the client certificate does so after the
 * client's side of the handshake is done: undici sees only "other side closed".
 * With a client certificate configured, say what that most likely means.
 */
export function explainClientCertificateRefusal(result: HttpResult, cert: string | undefined): HttpResult {
  if (!cert || result.outcome !== 'unreachable' || !/UND_ERR_SOCKET|ECONNRESET/.test(result.detail)) return result;
  return {
    ...result,
    detail: `TLS: the service closed the connection before answering — it did not accept the client certificate (shutdown.cert ${cert}); ${result.detail}`,
  };
}
