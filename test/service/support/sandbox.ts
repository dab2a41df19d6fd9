/**
 * Per test file: the compiled helper, a scratch directory, and the owner of
 * every child process (all killed after each test, pass or fail).
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcesses } from './children.js';
import { compileServiceHelper, type CompiledHelper } from './compile-helper.js';
import { startHelperService, type HelperService } from './helper-service.js';

export interface Sandbox {
  children: ChildProcesses;
  moduleUrl: string;
  workDir: string;
  /** Starts the fixture service with this token (none when undefined) and env. */
  service(token: string | undefined, env?: Record<string, string>): Promise<HelperService>;
}

export function useSandbox(): Sandbox {
  let compiled: CompiledHelper | undefined;
  const sandbox: Sandbox = {
    children: new ChildProcesses(),
    moduleUrl: '',
    workDir: '',
    service: (token, env) => startHelperService(sandbox.children, { ...sandbox, token, env }),
  };
  beforeAll(async () => {
    compiled = await compileServiceHelper();
    sandbox.moduleUrl = compiled.moduleUrl;
    sandbox.workDir = await mkdtemp(join(tmpdir(), 'tierdown-service-test-'));
  });
  afterEach(() => sandbox.children.killAll());
  afterAll(async () => {
    await sandbox.children.killAll();
    await compiled?.remove();
    if (sandbox.workDir) await rm(sandbox.workDir, { recursive: true, force: true });
  });
  return sandbox;
}
