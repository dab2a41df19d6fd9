// The "done when" of the visualizer: a real browser (Debian's chromium driven by
// playwright-core) opens the page of a real `tierdown up --ui` and of a
// `tierdown view` replay of a committed report, and checks what a user sees:
// labelled charts, outcome styles, the slider, no overflow at 800 px, no
// console errors, and nothing served without the URL's secret. Screenshots go
// to test-artifacts/ (see docs/visualizer.md).
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parseConfig } from '../../src/config/index.js';
import { serviceGraph } from '../../src/graph/index.js';
import { startCli } from '../helpers/cli.js';
import { freePort, processLedger } from '../helpers/processes.js';
import { fixtureConfig, type Ledger } from '../helpers/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const OUTCOMES_REPORT = fileURLToPath(new URL('../fixtures/reports/outcomes.json', import.meta.url));
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

// One chromium for the file (a launch is ~3.5 s of CPU), a fresh context for each test:
// nothing of one test's page (storage, cache, cookies) reaches the other's.
let shared: Promise<Browser> | undefined;
afterAll(async () => {
  await (await shared?.catch(() => undefined))?.close();
});

async function openBrowser(width: number): Promise<BrowserContext> {
  shared ??= chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const context = await (await shared).newContext({ viewport: { width, height: 900 } });
  cleanups.push(() => context.close());
  return context;
}

// Console errors, failed requests and HTTP errors the page meets (a missing favicon would be one).
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
  return problems;
}

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

// Raw GETs, as another local user without the printed URL would try.
async function statusOf(url: string): Promise<number> {
  return (await fetch(url)).status;
}

suite('the visualizer in a browser', () => {
  it('follows a real `up` stop: labelled charts, the kill style, plain words, no overflow at 800 px', async () => {
    // A generous HTTP budget: the POST is answered even on a loaded machine, so the paths are known.
    const answered = { http: '5s' };
    const config = await fixtureConfig(ledger, {
      api: { tier: 'critical', env: { FIX_HTTP: 'good' }, timeouts: answered },
      stubborn: { tier: 'critical', env: { FIX_HTTP: 'accept-stay', FIX_SIGTERM: 'ignore' }, timeouts: { ...answered, exit: '300ms', sigterm: '300ms' } },
      web: { tier: 'simple', depends_on: ['api'], timeouts: { sigterm: '10s' } },
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'tierdown-ui-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'tierdown.json'), JSON.stringify(config));
    const port = await freePort();
    const cli = startCli(['up', '-c', 'tierdown.json', '--ui', String(port), '--report', 'report.json'], { cwd: dir });
    cleanups.push(() => cli.kill());
    await cli.waitFor(`visualizer: http://127.0.0.1:${port}/`);
    const url = /visualizer: (\S+)/.exec(cli.output())?.[1] as string;
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/[A-Za-z0-9_-]{24}/$`));
    await cli.waitFor('services ready');

    // Without the secret, nothing is served: page, model, events.
    const base = `http://127.0.0.1:${port}`;
    for (const route of ['/', '/index.html', '/api/model', '/api/events', '/app.js', '/wrong-secret-wrong-secret/api/model', `${new URL(url).pathname.slice(0, -2)}/api/model`]) {
      expect([route, await statusOf(`${base}${route}`)]).toEqual([route, 404]);
    }
    expect(await statusOf(`${url}api/model`)).toBe(200);

    const browser = await openBrowser(1440);
    const page = await browser.newPage();
    const problems = watchProblems(page);
    // Every state each row shows, recorded as the page changes it.
    await page.addInitScript(() => {
      window.__states = {};
      new MutationObserver((records) => {
        for (const record of records) {
          const row = record.target as HTMLElement;
          if (!row.dataset.service) continue;
          const seen = (window.__states[row.dataset.service] ??= []);
          if (seen.at(-1) !== row.dataset.state) seen.push(row.dataset.state ?? '');
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
    });
    await page.goto(url);
    // Each row says what ps says: its readiness check passed.
    for (const name of ['api', 'stubborn', 'web']) {
      await page.locator(`[data-service="${name}"] .state-name`).filter({ hasText: 'ready' }).waitFor({ timeout: 20_000 });
    }
    await expect(page.locator('#phase').textContent()).resolves.toBe('running — 3 services');
    await expect(page.locator('#connection').textContent()).resolves.toBe('live');

    // The labelled statechart of `stubborn`: one label for every transition its tier can take.
    await page.locator('[data-service="stubborn"]').click();
    const resolved = parseConfig(JSON.stringify(config), path.join(dir, 'tierdown.json'));
    const expected = serviceGraph(resolved, 'stubborn').chart.transitions.map((transition) => transition.id).sort();
    const labelled = await page.locator('#detail .edge-group').evaluateAll((groups) =>
      groups.flatMap((group) => ((group.querySelector('.edge-label')?.textContent ?? '').trim() ? (group.getAttribute('data-transitions') ?? '').split(' ') : [])),
    );
    expect(labelled.sort()).toEqual(expected);
    const labels = await page.locator('#detail .edge-label').allTextContents();
    expect(labels.join(' ')).toContain('after sigtermTimeout (300ms)');
    expect(labels.join(' ')).toContain('after httpTimeout (5s)');
    // A simple service's chart has no http states; the orchestrator's is drawn from its machine.
    expect(await page.locator('[data-service="web"] [data-key="httpShutdown"]').count()).toBe(0);
    expect(await page.locator('#orchestrator [data-key="stopping"]').count()).toBe(1);
    expect(await page.locator('#orchestrator .edge-label').count()).toBeGreaterThan(5);

    cli.child.kill('SIGINT');
    await page.locator('#outcome').filter({ hasText: / in / }).waitFor({ timeout: 60_000 });
    await expect(page.locator('#outcome').textContent()).resolves.toMatch(/^stopped in /);
    const states = await page.evaluate(() => window.__states);
    const shown = (name: string) => states[name].slice(states[name].indexOf('idle') + 1);
    // api exits as it answers: the machine may see the exit before the answer (no awaitingExit).
    expect(shown('api')).toEqual(expect.arrayContaining(['httpShutdown', 'stopped']));
    expect(shown('stubborn')).toEqual(['httpShutdown', 'awaitingExit', 'sigterm', 'forceKill', 'stopped']);
    expect(shown('web')).toEqual(['sigterm', 'stopped']);
    // Killed is not "stopped": its own style, icon and words; a clean stop has another.
    const stubborn = page.locator('[data-service="stubborn"]');
    await expect(stubborn.getAttribute('data-outcome')).resolves.toBe('killed');
    await expect(stubborn.locator('.badge.outcome-killed').textContent()).resolves.toContain('killed');
    expect(await stubborn.evaluate((row) => getComputedStyle(row).borderLeftStyle)).toBe('dashed');
    await expect(page.locator('[data-service="web"]').getAttribute('data-outcome')).resolves.toBe('clean');
    // One service came down to SIGKILL: the header names it, and is not green.
    await page.locator('#phase').filter({ hasText: /^done — all stopped in .*, 1 killed \(SIGKILL\)$/ }).waitFor({ timeout: 10_000 });
    await expect(page.locator('#phase').getAttribute('data-killed')).resolves.toBe('yes');
    await expect(page.locator('#connection').textContent()).resolves.not.toBe('live');
    // The transitions list is in time order.
    const times = await page.locator('#timeline li').evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-at'))));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await screenshot(page, 'live-1440.png');
    await page.setViewportSize({ width: 800, height: 900 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'live-800.png');
    expect(problems).toEqual([]);

    const result = await cli.exited;
    expect(result.status).toBe(0);
    // The page showed exactly the path the report records, and the report carries the plan for a replay.
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { services: { name: string; path: string[] }[]; plan: { services: { name: string; steps: string[] }[] } };
    for (const service of report.services) expect(['idle', ...shown(service.name)]).toEqual(service.path);
    expect(report.plan.services.find((service) => service.name === 'web')?.steps).toEqual(['sigterm', 'forceKill']);
    expect(ledger.survivors()).toEqual([]);
  }, 120_000);

  it('replays a finished run from its report: crash and kill styles, the slider moves every chart', async () => {
    const port = await freePort();
    const cli = startCli(['view', OUTCOMES_REPORT, '--ui', String(port)]);
    cleanups.push(() => cli.kill());
    await cli.waitFor(`visualizer: http://127.0.0.1:${port}/`);
    const url = /visualizer: (\S+)/.exec(cli.output())?.[1] as string;
    // The CLI's timeline is in time order too.
    const cliTimes = [...cli.output().matchAll(/^\s+\+(\d+(?:\.\d+)?)(ms|s)\s/gm)].map(([, value, unit]) => Number(value) * (unit === 's' ? 1000 : 1));
    expect(cliTimes.length).toBe(11);
    expect(cliTimes).toEqual([...cliTimes].sort((a, b) => a - b));
    for (const route of ['/', '/api/model', '/api/events']) expect(await statusOf(`http://127.0.0.1:${port}${route}`)).toBe(404);

    const browser = await openBrowser(1280);
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await page.goto(url);
    await page.locator('#replay').waitFor({ state: 'visible', timeout: 20_000 });
    await expect(page.locator('#connection').textContent()).resolves.toContain('replay');

    // Each outcome has its own style and words; the crashed one also says how often it was restarted.
    const row = (name: string) => page.locator(`[data-service="${name}"]`);
    await expect(row('worker').getAttribute('data-outcome')).resolves.toBe('crashed');
    await expect(row('worker').locator('.badge.outcome-crashed').textContent()).resolves.toContain('crashed (status 1)');
    await expect(row('worker').locator('.badge.outcome-restarted').textContent()).resolves.toContain('restarted ×2');
    expect(await row('worker').evaluate((element) => getComputedStyle(element).borderLeftStyle)).toBe('dotted');
    await expect(row('api').getAttribute('data-outcome')).resolves.toBe('killed');
    await expect(row('db').getAttribute('data-outcome')).resolves.toBe('failed');
    await expect(row('cache').getAttribute('data-outcome')).resolves.toBe('exited');
    await expect(row('web').getAttribute('data-outcome')).resolves.toBe('clean');
    await expect(page.locator('#legend .badge').count()).resolves.toBeGreaterThanOrEqual(7);
    await screenshot(page, 'replay-end.png');

    const moveTo = (atMs: number) =>
      page.locator('#replay-slider').evaluate((slider: HTMLInputElement, value) => {
        slider.value = String(value);
        slider.dispatchEvent(new Event('input'));
      }, atMs);
    const currentIn = (name: string) => row(name).locator('.node.current').getAttribute('data-key');
    await page.locator('[data-service="api"]').click();

    await moveTo(300);
    await expect(currentIn('api')).resolves.toBe('awaitingExit');
    await expect(currentIn('db')).resolves.toBe('idle');
    await expect(page.locator('#detail .node.current').getAttribute('data-key')).resolves.toBe('awaitingExit');
    await expect(row('api').getAttribute('data-outcome')).resolves.toBe('');
    await expect(page.locator('#phase').textContent()).resolves.toBe('stopping — wave 2 of 3');
    await screenshot(page, 'replay-300ms.png');

    await moveTo(1200);
    await expect(currentIn('api')).resolves.toBe('stopped');
    await expect(currentIn('db')).resolves.toBe('sigterm');
    await expect(row('api').getAttribute('data-outcome')).resolves.toBe('killed');
    await expect(page.locator('#phase').textContent()).resolves.toBe('stopping — wave 3 of 3');
    await expect(page.locator('#timeline li.future').count()).resolves.toBeGreaterThan(0);

    await page.setViewportSize({ width: 800, height: 900 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'replay-800.png');
    expect(problems).toEqual([]);

    // Closing the page ends `view`.
    await page.close();
    await expect(cli.exited).resolves.toMatchObject({ status: 0 });
  }, 120_000);
});
