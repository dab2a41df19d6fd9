/**
 * Text that comes from a service (its output lines, the body of its answer to
 * `POST /shutdown`) is hostile until made safe, before it reaches a terminal,
 * an event, the report or the page: every token of the run is redacted wherever
 * it appears (a service may echo the Authorization header back), and control
 * characters are removed so an `ESC [2J` in a refusal cannot clear or rewrite
 * the user's terminal. Newline and tab are kept: they carry no commands.
 * Every path from a service to an output goes through here (see docs/security.md).
 */

// Shorter secrets are not redacted, and shorter tails of a secret are not taken for one.
const MIN_SECRET = 8;

/** What a redacted secret is replaced by. */
export const REDACTED = '[redacted]';

// C0 controls except tab (\x09) and newline (\x0a), DEL, and the C1 controls
// (\x80-\x9f: a terminal may read \x9b as CSI, the same as ESC [).
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Removes control characters except newline and tab. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}

/** Every secret of a run, indexed for redaction (a run has one token per service and spawn). */
export interface Secrets {
  /** Adds a secret; shorter than 8 characters it is ignored (see `redact`). */
  add(secret: string | undefined): void;
  /** `text` with every secret redacted (see `redact`). */
  redact(text: string): string;
  /** `text` made safe: every secret redacted, control characters stripped (see `sanitizeText`). */
  sanitize(text: string): string;
}

/**
 * A set of secrets indexed by their first 8 characters: a text is scanned once,
 * whatever the number of secrets (1000 services each with its own token must
 * not cost 1000 searches per output line).
 */
export function createSecrets(initial: readonly (string | undefined)[] = []): Secrets {
  const byHead = new Map<string, string[]>();
  const add = (secret: string | undefined) => {
    if (!secret || secret.length < MIN_SECRET) return;
    const head = secret.slice(0, MIN_SECRET);
    const known = byHead.get(head);
    if (!known) byHead.set(head, [secret]);
    else if (!known.includes(secret)) known.push(secret);
  };
  const redactAll = (text: string): string => {
    if (byHead.size === 0 || text.length < MIN_SECRET) return text;
    let result = '';
    let copied = 0;
    for (let at = 0; at + MIN_SECRET <= text.length; ) {
      const match = matchAt(text, at, byHead.get(text.slice(at, at + MIN_SECRET)));
      if (match === 0) {
        at++;
        continue;
      }
      result += text.slice(copied, at) + REDACTED;
      at += match;
      copied = at;
    }
    return copied === 0 ? text : result + text.slice(copied);
  };
  initial.forEach(add);
  return {
    add,
    redact: redactAll,
    // Redacted first (control characters inside a token must not split it out of
    // sight), then controls stripped, then redacted again (a token split by a
    // control character joins up once stripped).
    sanitize: (text) => redactAll(stripControl(redactAll(text))),
  };
}

// How many characters of `text` from `at` are a secret: the whole secret, or the
// first part of one (8 characters or more) that ends the text, as a cut line may.
function matchAt(text: string, at: number, candidates: string[] | undefined): number {
  if (!candidates) return 0;
  for (const secret of candidates) if (text.startsWith(secret, at)) return secret.length;
  const tail = text.slice(at);
  for (const secret of candidates) if (secret.startsWith(tail)) return tail.length;
  return 0;
}

/**
 * Replaces every occurrence of each secret by `[redacted]`, and a first part
 * of one (8 characters or more) that ends the text, as a cut line may. Secrets
 * shorter than 8 characters are ignored: redacting a one-letter "token" would
 * garble everything and protect nothing.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  return createSecrets(secrets).redact(text);
}

/** The one call for text from a service, for a few secrets known at the call (see `Secrets.sanitize`). */
export function sanitizeText(text: string, secrets: readonly (string | undefined)[] = []): string {
  return createSecrets(secrets).sanitize(text);
}
