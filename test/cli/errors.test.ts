// How the CLI reports an error (src/cli/errors.ts): by its code (docs/errors.md),
// so an error of another copy of tierdown reads the same, and never a stack.
import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { UsageError } from '../../src/cli/args.js';
import { EXIT_BY_CODE, reportError } from '../../src/cli/errors.js';
import { ControlError } from '../../src/cli/control/errors.js';
import { ConfigError } from '../../src/config/errors.js';
import { ERROR_CODES, isTierdownError, TierdownError } from '../../src/errors.js';

function report(error: unknown): { status: number; stderr: string } {
  let stderr = '';
  const sink = new Writable({ write: (chunk, _encoding, done) => ((stderr += String(chunk)), done()) });
  const status = reportError(error, { stdout: sink, stderr: sink, env: {}, cwd: '/' });
  return { status, stderr };
}

describe('reportError', () => {
  it('gives each code its exit status: 2 for config and usage, 3 for no running stack, else 1', () => {
    expect(report(new ConfigError([{ path: 'services.a.port', message: 'expected a whole number' }], '/x/tierdown.yaml'))).toEqual({
      status: 2,
      stderr: 'tierdown: invalid config (/x/tierdown.yaml):\n  services.a.port: expected a whole number\n',
    });
    expect(report(new UsageError("unknown option '--colour'"))).toEqual({ status: 2, stderr: "tierdown: unknown option '--colour'\nRun 'tierdown --help' for usage.\n" });
    expect(report(new ControlError('TIERDOWN_NOT_RUNNING', 'no up')).status).toBe(3);
    expect(report(new ControlError('TIERDOWN_RESTART_UNSUPPORTED', 'cannot restart')).status).toBe(1);
  });

  it('reads an error of another copy of tierdown by its code, not its class', () => {
    // What `instanceof` cannot see: the same family, made by another module instance.
    const foreign = Object.assign(new Error('no up'), { code: 'TIERDOWN_NOT_RUNNING', [Symbol.for('tierdown.error')]: true });
    expect(foreign instanceof TierdownError).toBe(false);
    expect(isTierdownError(foreign)).toBe(true);
    expect(report(foreign)).toEqual({ status: 3, stderr: 'tierdown: no up\n' });
  });

  it('reports anything else with its message and status 1, without a stack', () => {
    expect(report(new Error('boom'))).toEqual({ status: 1, stderr: 'tierdown: boom\n' });
    expect(report(Object.assign(new Error('not ours'), { code: 'TIERDOWN_NOT_RUNNING' })).status).toBe(1);
  });

  it('has a default message for every code: what it means', () => {
    for (const code of Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]) {
      expect(new TierdownError(code).message).toBe(ERROR_CODES[code]);
      expect(EXIT_BY_CODE[code]).toBeGreaterThan(0);
    }
  });
});
