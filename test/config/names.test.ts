// Service and tier names are one safe path segment (docs/security.md#names): a
// name becomes a cgroup and log file names, so `..`, `.`, `a/b` and the like
// are refused at load with the path and the value.
import { describe, expect, it } from '@jest/globals';
import { LOCAL, problemsOf, serviceProblems } from './helpers.js';

const STARTS = 'a name starts with a letter, digit or "_" and has only letters, digits, "_", "-" and "."';

describe('service names that would be paths', () => {
  it.each([
    ['..', 'services[".."]: invalid name "..": "." and ".." are paths, not names; a name starts with a letter, digit or "_"'],
    ['.', 'services["."]: invalid name ".": "." and ".." are paths, not names; a name starts with a letter, digit or "_"'],
    ['...', 'services["..."]: invalid name "...": "." and ".." are paths, not names; a name starts with a letter, digit or "_"'],
    ['a/b', `services["a/b"]: invalid name "a/b": ${STARTS}`],
    ['../etc', `services["../etc"]: invalid name "../etc": ${STARTS}`],
    ['a\0b', `services["a\\u0000b"]: invalid name "a\\u0000b": ${STARTS}`],
    ['a\nb', `services["a\\nb"]: invalid name "a\\nb": ${STARTS}`],
    ['-rf', `services["-rf"]: invalid name "-rf": ${STARTS}`],
    ['.hidden', `services[".hidden"]: invalid name ".hidden": ${STARTS}`],
    ['', 'services[""]: a name cannot be empty'],
  ])('refuses %j, naming it', (name, message) => {
    expect(serviceProblems({ [name]: LOCAL, ok: LOCAL })).toEqual([message]);
  });

  it('refuses a name longer than 100 characters', () => {
    expect(serviceProblems({ ['a'.repeat(101)]: LOCAL })).toEqual([`services.${'a'.repeat(101)}: name is 101 characters long; at most 100`]);
  });

  it('keeps names with dots, dashes and underscores inside', () => {
    expect(() => serviceProblems({ 'api.v2': LOCAL, _db: LOCAL, '9-web_x': LOCAL, ['a'.repeat(100)]: LOCAL })).toThrow('expected the config to be invalid');
  });

  it('applies to tier names too', () => {
    expect(problemsOf({ version: 1, tiers: { '..': { steps: ['sigterm'] } }, services: { api: LOCAL } })).toEqual([
      'tiers[".."]: invalid name "..": "." and ".." are paths, not names; a name starts with a letter, digit or "_"',
    ]);
  });
});
