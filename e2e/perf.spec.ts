// Performance in a browser, over the API and through the CLI, on the real server (issue 10): CI
// posts stable runs with the ingest token; an operator takes the first baseline ("Refresh all
// ready"); a slower run is suspect and `steward perf check` with another one fails the gate (exit
// 1), opening a regression; a fix run closes it; the operator refreshes the baseline on the metric
// page and rolls it back, audited; a viewer replaying either action is refused and audited.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { actionResult, auditFacts, auditRows, captureActionId, fixtures, loginAs } from './fixtures';

const KEY = 'e2e-perf';
const TESTBED = { runner: 'e2e-runner' };
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
let seq = 0;

/** 30 samples around `base` ms, a little different each run (a fixed generator: the same every time). */
function samplesFile(base: number): string {
  seq++;
  let s = seq * 7919;
  const rand = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const drift = 1 + (rand() - 0.5) * 0.02;
  return JSON.stringify({ format: 'steward-perf/1', metrics: [{ name: 'checkout', unit: 'ms', samples: Array.from({ length: 30 }, () => Number((base * drift * (0.95 + rand() * 0.1)).toFixed(3))) }] });
}

async function post(request: APIRequestContext, base: number) {
  const commit = `c0ffee${String(seq + 1).padStart(4, '0')}`;
  const res = await request.post('/api/v1/perf-results', {
    headers: bearer(fixtures().tokens.ingest.secret),
    data: { project: KEY, profile: 'main', branch: 'main', commit, ciRunId: `e2e-${commit}`, testbed: TESTBED, files: [{ name: 'perf.json', content: samplesFile(base) }] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).metrics[0];
}

/** Replays a captured action as the viewer; expects the refusal and returns nothing. */
async function replayAsViewer(browser: Browser, url: string, actionId: string, args: unknown) {
  const ctx = await browser.newContext();
  const viewer = await ctx.newPage();
  await loginAs(viewer, 'viewer');
  const res = await ctx.request.post(url, { headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' }, data: JSON.stringify([args]) });
  expect(actionResult(await res.text())).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the operator role.' } });
  await ctx.close();
}

test.describe.serial('performance', () => {
  let metricUrl = '';

  test('CI posts stable runs; an operator takes the first baseline with "Refresh all ready"', async ({ page, request }) => {
    await loginAs(page, 'admin');
    await page.goto('/flaky');
    await page.getByLabel('Key').fill(KEY);
    await page.getByLabel('Name').fill('E2E perf');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(`**/flaky/${KEY}`);
    for (let i = 0; i < 5; i++) expect((await post(request, 10)).baseline).toBeNull();

    await page.context().clearCookies();
    await loginAs(page, 'operator');
    await page.goto(`/performance/${KEY}`);
    await expect(page.getByRole('region', { name: 'Baselines on main' })).toContainText('1 of 1 series ready');
    await page.getByLabel('Note').first().fill('first baseline: five stable runs');
    await page.getByRole('button', { name: 'Refresh all ready (1)' }).click();
    await expect(page.getByRole('status')).toContainText('Refreshed 1 baseline(s): checkout on e2e-runner → v1');
    const link = page.getByRole('table', { name: 'Metrics, latest run of each' }).getByRole('link', { name: 'checkout' });
    metricUrl = (await link.getAttribute('href'))!;
  });

  test('a slower run is suspect; steward perf check with another fails the gate and opens a regression', async ({ page, request }) => {
    const suspect = await post(request, 13);
    expect(suspect.regression.status).toBe('suspect');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-perf-check-'));
    fs.writeFileSync(path.join(dir, 'perf.json'), samplesFile(13));
    const r = spawnSync(process.execPath, ['bin/steward.mjs', 'perf', 'check', '--project', KEY, '--profile', 'main', '--branch', 'main', '--commit', 'deadbeef01', '--run-id', 'e2e-cli-1', '--no-auto-testbed', '--testbed', 'runner=e2e-runner', path.join(dir, 'perf.json')], {
      encoding: 'utf8', env: { ...process.env, STEWARD_URL: test.info().project.use.baseURL!, STEWARD_TOKEN: fixtures().tokens.ingest.secret, GITHUB_STEP_SUMMARY: '' }, timeout: 60_000,
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.stdout + r.stderr).toContain('FAIL (regression)');
    expect(r.status).toBe(1);

    await loginAs(page, 'viewer');
    await page.goto(`/performance/${KEY}`);
    const row = page.getByRole('table', { name: 'Regressions' }).locator('tbody tr').first();
    await expect(row).toContainText('checkout');
    await expect(row).toContainText('open');
    await expect(row).toContainText('deadbeef');
    await expect(page.getByRole('table', { name: 'Metrics, latest run of each' })).toContainText('regression');
  });

  test('a fix run closes the regression; the operator refreshes the baseline on the metric page', async ({ browser, page, request }) => {
    expect((await post(request, 10)).regression.status).toMatch(/^(ok|improved)$/);
    for (let i = 0; i < 6; i++) await post(request, 10);
    await loginAs(page, 'operator');
    await page.goto(`/performance/${KEY}?rstatus=fixed`);
    await expect(page.getByRole('table', { name: 'Regressions' }).locator('tbody tr').first()).toContainText('fixed');

    await page.goto(metricUrl);
    await expect(page.getByRole('heading', { level: 1, name: 'checkout' })).toBeVisible();
    const refresh = page.getByRole('form', { name: 'Refresh the baseline' });
    await refresh.getByLabel('Note').fill('fix verified over seven runs');
    const refreshId = await captureActionId(page, () => refresh.getByRole('button', { name: 'Refresh baseline' }).click());
    const key = new URL(metricUrl, 'http://x');
    const series = { project: KEY, key: { metricId: key.pathname.split('/').at(-1)!, testbedId: key.searchParams.get('testbed')!, branch: 'main' } };
    await replayAsViewer(browser, metricUrl, refreshId, { ...series, note: 'viewer tries', expectedVersion: 1 });

    await page.unrouteAll();
    await page.reload();
    await page.getByRole('form', { name: 'Refresh the baseline' }).getByLabel('Note').fill('fix verified over seven runs');
    await page.getByRole('button', { name: 'Refresh baseline' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Baseline refreshed.' })).toBeVisible();
    const versions = page.getByRole('table', { name: 'Baseline versions' });
    await expect(versions.locator('tbody tr').first()).toContainText('v2');
    await expect(versions.locator('tbody tr').first()).toContainText('current');
  });

  test('a viewer replaying the rollback is refused; the operator rolls back to v1 with a note, audited', async ({ browser, page, request }) => {
    await loginAs(page, 'operator');
    await page.goto(metricUrl);
    const form = page.getByRole('form', { name: 'Roll back to v1' });
    await form.getByLabel('Note').fill('rollback baseline - performance regression detected');
    const rollbackId = await captureActionId(page, () => form.getByRole('button', { name: 'Roll back to v1' }).click());
    const key = new URL(metricUrl, 'http://x');
    await replayAsViewer(browser, metricUrl, rollbackId, { project: KEY, key: { metricId: key.pathname.split('/').at(-1)!, testbedId: key.searchParams.get('testbed')!, branch: 'main' }, toVersion: 1, note: 'viewer tries', expectedVersion: 2 });

    await page.unrouteAll();
    await page.reload();
    await page.getByRole('form', { name: 'Roll back to v1' }).getByLabel('Note').fill('rollback baseline - performance regression detected');
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Rolled back to v1.' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Baseline versions' }).locator('tbody tr').nth(1)).toContainText('current');

    const op = fixtures().users.operator.email;
    const viewer = fixtures().users.viewer.email;
    expect(auditFacts(await auditRows(request, { action: 'perf.baseline.rollback' }))).toEqual([
      { action: 'perf.baseline.rollback', outcome: 'ok', actorLabel: op, summary: `Baseline of "checkout" (latency) on main / e2e-runner in "${KEY}" rolled back from v2 to v1: rollback baseline - performance regression detected` },
      { action: 'perf.baseline.rollback', outcome: 'denied', actorLabel: viewer, summary: `Refused: perf.baseline.rollback needs the operator role; ${viewer} is viewer` },
    ]);
    const refreshes = auditFacts(await auditRows(request, { action: 'perf.baseline.refresh' }));
    expect(refreshes.map((r) => [r.outcome, r.actorLabel])).toEqual([['ok', op], ['denied', viewer], ['ok', op]]);
    expect(refreshes[0]!.summary).toBe(`Baseline of "checkout" (latency) on main / e2e-runner in "${KEY}" refreshed to v2: fix verified over seven runs`);
  });
});
