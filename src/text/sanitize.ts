/**
 * Text that comes from a service (its output lines, the body of its answer to
 * `POST /shutdown`) is hostile until made safe, before it reaches a terminal,
 * an event, the report or the page: the run's token is redacted wherever it
 * appears (a service may echo the Authorization header back), and control
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

/**
 * Replaces every occurrence of each secret by `[redacted]`, and a first part
 * of one (8 characters or more) that ends the text, as a cut line may. Secrets
 * shorter than 8 characters are ignored: redacting a one-letter "token" would
 * garble everything and protect nothing.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET) continue;
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    // Text cut at a length limit may end in the first part of a secret.
    for (let length = Math.min(secret.length - 1, result.length); length >= MIN_SECRET; length--) {
      if (result.endsWith(secret.slice(0, length))) {
        result = result.slice(0, -length) + REDACTED;
        break;
      }
    }
  }
  return result;
}

/**
 * The one call for text from a service: secrets redacted first (control
 * characters inside a token must not split it out of sight), then controls stripped,
 * then redacted again (a token split by a control character joins up once stripped).
 */
export function sanitizeText(text: string, secrets: readonly (string | undefined)[] = []): string {
  return redact(stripControl(redact(text, secrets)), secrets);
}
