import { describe, it, expect } from '@jest/globals';
import { BASE_DIR, LOCAL, serviceOf, serviceProblems } from './helpers.js';

const TOKEN_FILE = { shutdown: { tokenFile: 'token' } };
const REMOTE = { url: 'http://10.0.0.7:9000', ...TOKEN_FILE };

describe('local or remote', () => {
  it('a service needs a command or a url', () => {
    expect(serviceProblems({ x: { port: 1 } })).toEqual(['services.x: needs a command (a local process) or a url (a remote service)']);
  });

  it('a service cannot have both', () => {
    expect(serviceProblems({ x: { ...LOCAL, ...REMOTE } })).toEqual([
      'services.x: has both command and url: a service is a local process (command) or a remote service (url)',
    ]);
  });

  it('a remote service takes no process settings', () => {
    expect(serviceProblems({ x: { ...REMOTE, cwd: '.', env: { A: 1 }, port: 9000 } })).toEqual([
      'services.x.cwd: only for local services (those with a command)',
      'services.x.env: only for local services (those with a command)',
      "services.x.port: only for local services; a remote service's port is part of its url",
    ]);
  });

  it('a local service takes no token file (it gets its token in its environment)', () => {
    expect(serviceProblems({ x: { ...LOCAL, port: 1, shutdown: { tokenFile: 'token' } } })).toEqual([
      'services.x.shutdown.tokenFile: only for remote services (local ones get their token in TIERDOWN_SHUTDOWN_TOKEN)',
    ]);
  });
});

describe('process settings', () => {
  it('cwd defaults to the config file folder', () => {
    expect(serviceOf({ api: LOCAL }).cwd).toBe(BASE_DIR);
  });

  it('cwd resolves against the config file folder', () => {
    expect(serviceOf({ api: { ...LOCAL, cwd: 'services/api' } }).cwd).toBe(`${BASE_DIR}/services/api`);
    expect(serviceOf({ api: { ...LOCAL, cwd: '/opt/api' } }).cwd).toBe('/opt/api');
  });

  it('env values become strings', () => {
    expect(serviceOf({ api: { ...LOCAL, env: { PORT: 8545, DEBUG: true, NAME: 'x' } } }).env).toEqual({ PORT: '8545', DEBUG: 'true', NAME: 'x' });
  });

  it('depends_on lists each dependency once', () => {
    const config = { api: { ...LOCAL, depends_on: ['db', 'db'] }, db: LOCAL };
    expect(serviceOf(config, 'api').dependsOn).toEqual(['db']);
    expect(serviceOf(config, 'db').dependsOn).toEqual([]);
  });

  it('a token file resolves against the config file folder', () => {
    expect(serviceOf({ ledger: { ...REMOTE, shutdown: { tokenFile: 'secrets/ledger' } } }).tokenFile).toBe(`${BASE_DIR}/secrets/ledger`);
  });
});

describe('shutdown URL', () => {
  it('is shutdown.url when given', () => {
    expect(serviceOf({ api: { ...LOCAL, port: 8001, tier: 'critical', shutdown: { url: 'http://127.0.0.1:9999/stop' } } }).shutdownUrl).toBe(
      'http://127.0.0.1:9999/stop',
    );
  });

  it('is /shutdown on the loopback port of a local service', () => {
    expect(serviceOf({ api: { ...LOCAL, port: 8001, tier: 'critical' } }).shutdownUrl).toBe('http://127.0.0.1:8001/shutdown');
  });

  it('is /shutdown under the url of a remote service, keeping its path', () => {
    expect(serviceOf({ ledger: REMOTE }).shutdownUrl).toBe('http://10.0.0.7:9000/shutdown');
    expect(serviceOf({ ledger: { url: 'https://ledger.example/api/', ...TOKEN_FILE } }).shutdownUrl).toBe('https://ledger.example/api/shutdown');
    expect(serviceOf({ ledger: { url: 'https://ledger.example/api?x=1', ...TOKEN_FILE } }).shutdownUrl).toBe('https://ledger.example/api/shutdown');
  });

  it('is absent for a local service with no port and no http step', () => {
    expect(serviceOf({ api: LOCAL }).shutdownUrl).toBeUndefined();
  });

  it('is required by a tier with an http step, or auto', () => {
    expect(serviceProblems({ a: { ...LOCAL, tier: 'critical' }, b: { ...LOCAL, tier: 'auto' } })).toEqual([
      'services.a.shutdown.url: tier "critical" needs a shutdown URL: set shutdown.url or port',
      'services.b.shutdown.url: tier "auto" needs a shutdown URL: set shutdown.url or port',
    ]);
  });
});

describe('readiness', () => {
  it('is "started" unless the service says otherwise', () => {
    expect(serviceOf({ api: LOCAL }).ready).toEqual({ kind: 'started' });
  });

  it('polls a path on the loopback port, for 30 s unless told', () => {
    expect(serviceOf({ api: { ...LOCAL, port: 8001, ready: { http: '/health' } } }).ready).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:8001/health',
      timeoutMs: 30_000,
    });
  });

  it('polls a full URL as given', () => {
    expect(serviceOf({ api: { ...LOCAL, ready: { http: 'http://localhost:3000/ready?deep=1' } } }).ready).toMatchObject({
      url: 'http://localhost:3000/ready?deep=1',
    });
  });

  it('connects to the port for tcp', () => {
    expect(serviceOf({ api: { ...LOCAL, port: 5432, ready: { tcp: true, timeout: '1m' } } }).ready).toEqual({ kind: 'tcp', port: 5432, timeoutMs: 60_000 });
  });

  it('needs a port for a path or tcp, and one kind only', () => {
    expect(
      serviceProblems({
        a: { ...LOCAL, ready: { http: '/health' } },
        b: { ...LOCAL, ready: { tcp: true } },
        c: { ...LOCAL, port: 1, ready: { http: '/health', tcp: true } },
        d: { ...REMOTE, ready: { tcp: true } },
      }),
    ).toEqual([
      'services.a.ready.http: the path "/health" needs port (or give a full URL)',
      'services.b.ready.tcp: needs port',
      'services.c.ready: choose http or tcp, not both',
      'services.d.ready.tcp: only for local services (it connects to 127.0.0.1:<port>)',
    ]);
  });
});

describe('health URL of a remote service', () => {
  it('is its url by default', () => {
    expect(serviceOf({ ledger: REMOTE }).healthUrl).toBe('http://10.0.0.7:9000');
  });

  it('is its ready.http path joined to its url', () => {
    const ledger = serviceOf({ ledger: { url: 'http://10.0.0.7:9000/api', ready: { http: '/health' }, ...TOKEN_FILE } });
    expect(ledger.healthUrl).toBe('http://10.0.0.7:9000/api/health');
    expect(ledger.ready).toMatchObject({ kind: 'http', url: 'http://10.0.0.7:9000/api/health' });
  });

  it('is absent for a local service', () => {
    expect(serviceOf({ api: { ...LOCAL, port: 1, ready: { http: '/health' } } }).healthUrl).toBeUndefined();
  });
});

describe('the run token never leaves the machine', () => {
  it('a remote service, whatever its tier, must name the file of its own token', () => {
    for (const tier of ['critical', 'auto', undefined]) {
      expect(serviceProblems({ ledger: { url: 'http://10.0.0.7:9000', ...(tier ? { tier } : {}) } })).toEqual([
        "services.ledger.shutdown.tokenFile: required for a remote service: the file holding the token it expects (tierdown's own run token never leaves this machine)",
      ]);
    }
    // Loopback is no exception: a url-only service is not a process tierdown started.
    expect(serviceProblems({ ledger: { url: 'http://127.0.0.1:9000' } })).toHaveLength(1);
  });

  it("a local service's shutdown.url must be on this machine", () => {
    for (const url of ['http://10.0.0.7:8001/shutdown', 'http://example.com/shutdown', 'http://127.0.0.1.example.com/shutdown']) {
      expect(serviceProblems({ api: { ...LOCAL, port: 8001, tier: 'critical', shutdown: { url } } })).toEqual([
        "services.api.shutdown.url: must be on this machine (127.0.0.1, ::1 or localhost) for a local service: it carries the run's token, which never leaves this machine",
      ]);
    }
    for (const url of ['http://127.0.0.1:8001/shutdown', 'http://localhost:8001/x', 'http://[::1]:8001/shutdown']) {
      expect(serviceOf({ api: { ...LOCAL, port: 8001, tier: 'critical', shutdown: { url } } }).shutdownUrl).toBe(url);
    }
  });
});
