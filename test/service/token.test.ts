import { describe, expect, it } from '@jest/globals';
import { bearerMatches, parseBearer, resolveToken } from '../../src/service/token.js';

describe('shutdown token', () => {
  it('reads the Bearer token of an Authorization header', () => {
    expect(parseBearer('Bearer abc.DEF-1')).toBe('abc.DEF-1');
    expect(parseBearer('bearer   abc ')).toBe('abc');
    expect(parseBearer('Basic abc')).toBeUndefined();
    expect(parseBearer('Bearer')).toBeUndefined();
    expect(parseBearer(undefined)).toBeUndefined();
  });

  it('matches only the exact token, whatever the lengths', () => {
    expect(bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('Bearer s3cre', 's3cret')).toBe(false);
    expect(bearerMatches('Bearer s3cretX', 's3cret')).toBe(false);
    expect(bearerMatches(undefined, 's3cret')).toBe(false);
  });

  it('refuses everything when no token is configured', () => {
    expect(bearerMatches('Bearer ', undefined)).toBe(false);
    expect(bearerMatches('Bearer undefined', undefined)).toBe(false);
  });

  it('takes the explicit token over the environment, and treats empty as none', () => {
    expect(resolveToken('given', { TIERDOWN_SHUTDOWN_TOKEN: 'env' })).toBe('given');
    expect(resolveToken(undefined, { TIERDOWN_SHUTDOWN_TOKEN: 'env' })).toBe('env');
    expect(resolveToken(undefined, { TIERDOWN_SHUTDOWN_TOKEN: '' })).toBeUndefined();
    expect(resolveToken(undefined, {})).toBeUndefined();
  });
});
