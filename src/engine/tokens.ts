/**
 * The run's shutdown tokens (docs/security.md#one-token-per-service): each
 * local service gets its own random token at each spawn, so a service (or
 * whoever can read its environment) holds no token that stops another one, and
 * a restart makes the last one useless. Every token issued, and every remote
 * token read from a tokenFile, stays in the run's secrets: whatever a service
 * prints, says in STATUS= or answers is redacted of all of them.
 */
import { randomBytes } from 'node:crypto';
import { createSecrets } from '../text/sanitize.js';

export interface RunTokens {
  /** A fresh token for a new process of the service; the one before it is not sent any more. */
  issue(service: string): string;
  /** The token the service's current process was given; undefined before its first spawn. */
  of(service: string): string | undefined;
  /** A secret learned elsewhere (a remote service's tokenFile): redacted from now on. */
  remember(secret: string): void;
  /** Text from a service made safe: every token of the run redacted, control characters stripped. */
  sanitize(text: string): string;
}

export function createRunTokens(): RunTokens {
  const current = new Map<string, string>();
  const secrets = createSecrets();
  return {
    issue: (service) => {
      const token = randomBytes(32).toString('base64url');
      current.set(service, token);
      secrets.add(token);
      return token;
    },
    of: (service) => current.get(service),
    remember: (secret) => secrets.add(secret),
    sanitize: (text) => secrets.sanitize(text),
  };
}
