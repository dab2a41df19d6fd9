// The "done when" of the visualizer: a real browser (Debian's chromium driven by
// playwright-core) opens the page of a real `tierdown up --ui`, watches every
// service move through its states to `stopped`, and saves a screenshot.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startCli } from '../helpers/cli.js';
import { freePort, processLedger } from '../helpers/processes.js';
import { fixtureConfig, type Ledger } from '../helpers/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
// CI installs chromium (.ci/run) and must run this; elsewhere a missing browser only skips it.
const canRun = existsSync(CHROMIUM) || process.env.CI === 'true';
const suite = canRun ? describe : describe.skip;
if (!canRun) console.warn(`visualizer browser test skipped: ${CHROMIUM} not found (apt-get install chromium); it always runs when CI=true`);

let ledger: Ledger;
const cleanups: (() => void | Promise<void>)[] = [];
beforeEach(() => {
  ledger = processLedger();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  ledger.killAll();
});

declare global {
  interface Window {
    __states: Record<string, string[]>;
  }
}

suite('the live visualizer in a browser', () => {
  it('shows a real `up` stop every service through its states to stopped', async () => {
    // A generous HTTP budget: the POST is answered even on a loaded machine, so the paths are known.
    const answered = { http: '5s' };
    const config = await fixtureConfig(ledger, {
      api: { tier: 'critical', env: { FIX_HTTP: 'good' }, timeouts: answered },
      stubborn: { tier: 'critical', env: { FIX_HTTP: 'accept-stay', FIX_SIGTERM: 'ignore' }, timeouts: answered },
      web: { tier: 'simple', depends_on: ['api'] },
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-ui-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'tierdown.json'), JSON.stringify(config));
    const port = await freePort();
    const cli = startCli(['up', '-c', 'tierdown.json', '--ui', String(port), '--report', 'report.json'], { cwd: dir });
    cleanups.push(() => cli.kill());
    await cli.waitFor(`visualizer: http://127.0.0.1:${port}/`);
    await cli.waitFor('services ready');

    const profile = mkdtempSync(path.join(tmpdir(), 'tierdown-chromium-'));
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      viewport: { width: 1480, height: 900 },
    });
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    // Every state each row shows, recorded as the page changes it.
    await page.addInitScript(() => {
      window.__states = {};
      new MutationObserver((records) => {
        for (const record of records) {
          const row = record.target as HTMLElement;
          const seen = (window.__states[row.dataset.service ?? ''] ??= []);
          if (seen.at(-1) !== row.dataset.state) seen.push(row.dataset.state ?? '');
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    for (const name of ['api', 'stubborn', 'web']) {
      await page.locator(`[data-service="${name}"] .state-name`).filter({ hasText: 'running' }).waitFor({ timeout: 10_000 });
    }
    // Each chart is the service machine as its tier configures it.
    expect(await page.locator('[data-service="stubborn"] .node').count()).toBe(7);
    expect(await page.locator('[data-service="web"] [data-key="httpShutdown"]').count()).toBe(0);
    expect(await page.locator('#orchestrator [data-key="stopping"]').count()).toBe(1);

    cli.child.kill('SIGINT');
    await page.locator('#outcome').filter({ hasText: /^stopped in / }).waitFor({ timeout: 15_000 });
    const states = await page.evaluate(() => window.__states);
    const shown = (name: string) => states[name].slice(states[name].indexOf('idle') + 1);
    // api exits as it answers: the machine may see the exit before the answer (no awaitingExit).
    expect(shown('api')).toEqual(expect.arrayContaining(['httpShutdown', 'stopped']));
    expect(shown('stubborn')).toEqual(['httpShutdown', 'awaitingExit', 'sigterm', 'forceKill', 'stopped']);
    expect(shown('web')).toEqual(['sigterm', 'stopped']);
    await expect(page.locator('#phase').textContent()).resolves.toBe('done');
    await expect(page.locator('[data-service="stubborn"] .numbers').textContent()).resolves.toContain('method kill');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'visualizer.png'), fullPage: true });
    const result = await cli.exited;
    expect(result.status).toBe(0);
    // The page showed exactly the path the report records.
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { services: { name: string; path: string[] }[] };
    for (const service of report.services) expect(['idle', ...shown(service.name)]).toEqual(service.path);
    expect(ledger.survivors()).toEqual([]);
  });
});
