import { describe, it, expect } from '@jest/globals';
import { LOCAL, problemsOf, resolve, serviceProblems } from './helpers.js';

describe('the top level', () => {
  it('needs version 1', () => {
    expect(problemsOf({ services: { api: LOCAL } })).toEqual(['version: expected 1']);
    expect(problemsOf({ version: 2, services: { api: LOCAL } })).toEqual(['version: expected 1']);
    expect(problemsOf({ version: '1', services: { api: LOCAL } })).toEqual(['version: expected 1']);
  });

  it('needs services, and at least one', () => {
    expect(problemsOf({ version: 1 })).toEqual(['services: required']);
    expect(problemsOf({ version: 1, services: {} })).toEqual(['services: needs at least one service']);
    expect(problemsOf({ version: 1, services: [LOCAL] })).toEqual(['services: expected a mapping (key: value)']);
  });

  it('must be a mapping', () => {
    expect(problemsOf(['version', 1])).toEqual(['(top level): expected a mapping (key: value)']);
  });

  it('reads on_failure, escalate unless set', () => {
    expect(resolve({ version: 1, services: { api: LOCAL } }).onFailure).toBe('escalate');
    expect(resolve({ version: 1, on_failure: 'rollback', services: { api: LOCAL } }).onFailure).toBe('rollback');
    expect(problemsOf({ version: 1, on_failure: 'panic', services: { api: LOCAL } })).toEqual([
      'on_failure: expected one of: escalate, rollback',
    ]);
  });

  it('rejects unknown keys, one problem per key', () => {
    expect(problemsOf({ version: 1, colour: 'red', shape: 1, services: { api: LOCAL } })).toEqual([
      'colour: unknown key',
      'shape: unknown key',
    ]);
    expect(problemsOf({ version: 1, defaults: { signal: 'SIGINT' }, services: { api: LOCAL } })).toEqual([
      'defaults.signal: unknown key',
    ]);
  });
});

describe('a service entry', () => {
  it('rejects unknown keys at every depth', () => {
    expect(
      serviceProblems({
        backend: { ...LOCAL, colour: 'blue', shutdown: { url: 'http://127.0.0.1:1/x', token: 'x' }, ready: { grpc: true }, timeouts: { stop: 1 } },
      }),
    ).toEqual([
      'services.backend.timeouts.stop: unknown key',
      'services.backend.shutdown.token: unknown key',
      'services.backend.ready.grpc: unknown key',
      'services.backend.colour: unknown key',
    ]);
  });

  it('takes command as a non-empty argv list, never a shell string', () => {
    expect(serviceProblems({ api: { command: 'node server.js' } })).toEqual([
      'services.api.command: expected a list of strings (argv; it is never run through a shell)',
    ]);
    expect(serviceProblems({ api: { command: [] } })).toEqual(['services.api.command: expected at least the program to run']);
    expect(serviceProblems({ api: { command: ['node', 8] } })).toEqual(['services.api.command.1: expected a string']);
  });

  it('takes port as a whole number from 1 to 65535', () => {
    for (const port of [0, 65536, 80.5, '8080', -1]) {
      expect(serviceProblems({ api: { ...LOCAL, port } })).toEqual(['services.api.port: expected a whole number from 1 to 65535']);
    }
  });

  it('takes url and shutdown.url as http(s) URLs', () => {
    expect(serviceProblems({ remote: { url: 'ftp://10.0.0.7' }, api: { ...LOCAL, shutdown: { url: 'not a url' } } })).toEqual([
      'services.remote.url: expected an http(s) URL like "http://10.0.0.7:9000"',
      'services.api.shutdown.url: expected an http(s) URL like "http://10.0.0.7:9000"',
    ]);
  });

  it('takes ready.http as a path or a full URL, and ready.tcp as true or false', () => {
    expect(serviceProblems({ api: { ...LOCAL, port: 1, ready: { http: 'health', tcp: 'yes' } } })).toEqual([
      'services.api.ready.http: expected a path like "/health" or a full http(s) URL',
      'services.api.ready.tcp: expected true or false',
    ]);
  });

  it('takes env values as strings, numbers or booleans', () => {
    expect(serviceProblems({ api: { ...LOCAL, env: { A: null, B: ['x'] } } })).toEqual([
      'services.api.env.A: expected a string, number or boolean',
      'services.api.env.B: expected a string, number or boolean',
    ]);
  });

  it('takes depends_on as a list of names', () => {
    expect(serviceProblems({ api: { ...LOCAL, depends_on: 'db' }, db: LOCAL })).toEqual([
      'services.api.depends_on: expected a list of service names',
    ]);
  });

  it('limits names to letters, digits, "_", "-" and "."', () => {
    expect(serviceProblems({ 'my api': LOCAL, 'ok_name-1.v2': LOCAL })).toEqual([
      'services["my api"]: invalid name "my api": a name starts with a letter, digit or "_" and has only letters, digits, "_", "-" and "."',
    ]);
  });

  it('rejects a service that is not a mapping', () => {
    expect(serviceProblems({ api: ['node'] })).toEqual(['services.api: expected a mapping (key: value)']);
  });
});
