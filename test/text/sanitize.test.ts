// Service text made safe: the token redacted wherever it is, control characters gone.
import { describe, expect, it } from '@jest/globals';
import { sanitizeText } from '../../src/text/sanitize.js';

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
