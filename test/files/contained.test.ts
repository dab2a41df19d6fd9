// pathInside: every path built from input (a service name as a cgroup or a log
// file) is proved to lie strictly inside its folder before it is used.
import { describe, expect, it } from '@jest/globals';
import { pathInside, PathEscapeError } from '../../src/files/contained.js';

describe('pathInside', () => {
  it('joins a plain name, and a name with dots that is still one segment', () => {
    expect(pathInside('/run/t', 'api')).toBe('/run/t/api');
    expect(pathInside('/run/t/', 'api.log')).toBe('/run/t/api.log');
    expect(pathInside('/run/t', '...log')).toBe('/run/t/...log');
    expect(pathInside('/', 'x')).toBe('/x');
  });

  it.each([
    ['..', 'the parent: the engine’s own cgroup'],
    ['.', 'the folder itself: the whole run'],
    ['', 'the folder itself'],
    ['../t-evil', 'a sibling that shares the prefix'],
    ['a/../../x', 'out through a subfolder'],
    ['/etc/passwd', 'an absolute path'],
    ['a\0b', 'a NUL byte'],
  ])('refuses %j (%s)', (name) => {
    expect(() => pathInside('/run/t', name)).toThrow(PathEscapeError);
  });

  it('names the path and the folder it would leave', () => {
    expect(() => pathInside('/run/t', '..')).toThrow('".." would lead outside /run/t');
  });
});
