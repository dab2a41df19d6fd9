// Hostile and careless inputs through the real binary: every one is a config
// problem (exit 2, one line naming its path), found before anything starts —
// never a hang, a stack trace, or a parser's raw text with exit 1.
import { afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configDir, runCli } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function config(text: string) {
  const made = configDir(text);
  cleanups.push(made.cleanup);
  return made;
}

const service = (fields: string) => `version: 1\nservices:\n  svc: { tier: simple, ${fields} }\n`;

function expectBadConfig(result: { status: number; stdout: string; stderr: string }, pathText: string, message: RegExp) {
  expect(result.status).toBe(2);
  const line = result.stderr.split('\n').find((entry) => entry.trimStart().startsWith(`${pathText}:`));
  expect(line).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('what a spawn needs, checked by validate and up before anything starts', () => {
  const cases: [string, string, string, RegExp][] = [
    ['cwd naming a file', 'command: [node, -e, "1"], cwd: tierdown.yaml', 'services.svc.cwd', /is not a folder/],
    ['a missing cwd', 'command: [node, -e, "1"], cwd: ./no-such-folder', 'services.svc.cwd', /does not exist/],
    ['a NUL byte in argv', 'command: [node, "-e", "1\\0"]', 'services.svc.command', /NUL byte/],
    ['an empty program', 'command: [""]', 'services.svc.command', /program \(first item\) is empty/],
    ['a program not on PATH', 'command: [no-such-program-tierdown]', 'services.svc.command', /not found on PATH/],
    ['a relative program missing beside the config', 'command: [./no-such-script.sh]', 'services.svc.command', /not found relative to/],
  ];

  it.each(cases)('validate: %s', async (_what, fields, pathText, message) => {
    const { dir } = config(service(fields));
    expectBadConfig(await runCli(['validate'], { cwd: dir }), pathText, message);
  });

  it.each(cases)('up: %s exits 2 at once', async (_what, fields, pathText, message) => {
    const { dir } = config(service(fields));
    expectBadConfig(await runCli(['up'], { cwd: dir, timeoutMs: 15_000 }), pathText, message);
  });

  it('a relative program beside the config file is found (the rule stays: relative to the working folder)', async () => {
    const { dir } = config(service('command: [./run.sh]'));
    writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\nexec sleep 1\n');
    chmodSync(path.join(dir, 'run.sh'), 0o755);
    expect((await runCli(['validate'], { cwd: dir })).status).toBe(0);
  });

  it('an unreadable or missing shutdown.tokenFile', async () => {
    const { dir } = config('version: 1\nservices:\n  remote: { url: "http://127.0.0.1:9", shutdown: { tokenFile: ./token.txt } }\n');
    expectBadConfig(await runCli(['validate'], { cwd: dir }), 'services.remote.shutdown.tokenFile', /does not exist/);
    writeFileSync(path.join(dir, 'token.txt'), 'secret\n');
    expect((await runCli(['validate'], { cwd: dir })).status).toBe(0);
  });
});

describe('names and paths at the edges', () => {
  it('a 300-character service name is refused with its length', async () => {
    const { dir } = config(`version: 1\nservices:\n  ${'s'.repeat(300)}: { command: [node, -e, "1"] }\n`);
    expectBadConfig(await runCli(['validate'], { cwd: dir }), `services.${'s'.repeat(300)}`, /300 characters long; at most 100/);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a service named %s is refused, never dropped', async (name) => {
    const { dir } = config(`version: 1\nservices:\n  ${name}: { command: [node, -e, "1"] }\n  other: { command: [node, -e, "1"] }\n`);
    expectBadConfig(await runCli(['validate'], { cwd: dir }), `services.${name}`, /reserved/);
  });

  it('a tier named __proto__, and an env variable named __proto__, are refused', async () => {
    const { dir } = config(
      'version: 1\ntiers:\n  __proto__: { steps: [sigterm] }\nservices:\n  svc: { command: [node, -e, "1"], env: { __proto__: x } }\n',
    );
    const result = await runCli(['validate'], { cwd: dir });
    expectBadConfig(result, 'tiers.__proto__', /reserved/);
    expectBadConfig(result, 'services.svc.env.__proto__', /reserved/);
  });

  it('a cwd longer than a path can be is refused', async () => {
    const { dir } = config(service(`command: [node], cwd: ${'d'.repeat(5000)}`));
    expectBadConfig(await runCli(['validate'], { cwd: dir }), 'services.svc.cwd', /at most 4096/);
  });
});

describe('messages', () => {
  it('a YAML alias bomb exits 2 naming the file, not 1 with the parser\'s text', async () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let index = 1; index < 9; index++) {
      const prev = String.fromCharCode(96 + index);
      const name = String.fromCharCode(97 + index);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const { dir, file } = config(`version: 1\n${levels.join('\n')}\nservices:\n  svc: { command: [node], env: { X: *i } }\n`);
    const result = await runCli(['validate'], { cwd: dir });
    expectBadConfig(result, file, /alias bomb/);
    expect(result.stderr).not.toMatch(/resource exhaustion/);
  });
});
