// Service text made safe: the token redacted wherever it is, control characters gone.
import { describe, expect, it } from '@jest/globals';
import { createSecrets, sanitizeText } from '../../src/text/sanitize.js';

const TOKEN = 'tok_0123456789abcdefXYZ';

describe('sanitizeText', () => {
  it('redacts every occurrence of the token, also one split by a control character', () => {
    expect(sanitizeText(`a ${TOKEN} b ${TOKEN}`, [TOKEN])).toBe('a [redacted] b [redacted]');
    expect(sanitizeText(`Bearer ${TOKEN.slice(0, 5)}\x1b${TOKEN.slice(5)}`, [TOKEN])).toBe('Bearer [redacted]');
  });

  it('redacts the first part of the token that ends a cut text', () => {
    expect(sanitizeText(`cut here ${TOKEN.slice(0, 12)}`, [TOKEN])).toBe('cut here [redacted]');
    expect(sanitizeText('ends in tok_', [TOKEN])).toBe('ends in tok_');
  });

  it('strips C0, DEL and C1 controls but keeps newline and tab', () => {
    expect(sanitizeText('a\x1b[2Jb\x07c\x7fd\x9b31me\tf\ng\r')).toBe('a[2Jbcd31me\tf\ng');
  });

  it('ignores secrets too short to mean anything', () => {
    expect(sanitizeText('a b c', ['a', undefined, ''])).toBe('a b c');
  });
});

describe('createSecrets: every token of a run', () => {
  const tokens = Array.from({ length: 1000 }, (_, index) => `tok${String(index).padStart(5, '0')}_${'x'.repeat(20)}`);

  it('redacts any of a thousand secrets, each occurrence, and one that ends a cut text', () => {
    const secrets = createSecrets(tokens);
    expect(secrets.sanitize(`a ${tokens[17]}${tokens[999]} b ${tokens[17]}`)).toBe('a [redacted][redacted] b [redacted]');
    expect(secrets.sanitize(`cut ${tokens[500].slice(0, 12)}`)).toBe('cut [redacted]');
    expect(secrets.sanitize(`not cut ${tokens[500].slice(0, 12)} here`)).toBe(`not cut ${tokens[500].slice(0, 12)} here`);
  });

  it('redacts secrets added later, and ones sharing their first characters', () => {
    const secrets = createSecrets();
    secrets.add('prefix__one_secret');
    secrets.add('prefix__two_secret');
    secrets.add('short');
    expect(secrets.redact('prefix__two_secret and prefix__one_secret, short')).toBe('[redacted] and [redacted], short');
  });
});
