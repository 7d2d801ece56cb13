// The Artifacts pages in a browser (issue 8, items 3, 9–15): URL filters and natural order on the
// plan page, layout at 1280 and 390 px, the chart's scale, overlapping roots, Steward's cron
// messages, removing a root, and runner reports that cannot speak for the server.
// Runs before artifacts.spec.ts (alphabetical) and never executes a plan of e2e-root.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { auditRows, fixtures, loginAs } from './fixtures';

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const base = () => path.dirname(fixtures().root.path);

async function preview(page: Page): Promise<string> {
  await page.goto(`/artifacts/${fixtures().root.id}`);
  await page.getByRole('button', { name: 'Preview cleanup' }).click();
  await page.waitForURL(/\/artifacts\/plans\//);
  return new URL(page.url()).pathname.split('/').pop()!;
}

const firstCells = async (page: Page, table: string, n: number) => {
  const rows = page.getByRole('table', { name: table, exact: true }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  return (await rows.evaluateAll((trs, k) => trs.slice(0, k).map((tr) => tr.querySelector('td span')?.textContent ?? ''), n));
};

test.describe.serial('artifacts pages', () => {
  let planId = '';

  test('plan page: filters and page live in the URL, entries sort naturally, kept files filter by reason', async ({ page }) => {
    await loginAs(page, 'operator');
    planId = await preview(page);
    await page.goto(`/artifacts/plans/${planId}?kind=delete&q=ITER_SUMMARY`);
    await expect(page.locator('#actions-kind')).toHaveValue('delete');
    await expect(page.locator('#actions-q')).toHaveValue('ITER_SUMMARY');
    await expect(page.getByText('20 actions match')).toBeVisible();
    // ITER_SUMMARY_2 comes before ITER_SUMMARY_10 (server order, not a string sort).
    expect(await firstCells(page, 'Planned actions', 3)).toEqual(['latest/ITER_SUMMARY_1.json', 'latest/ITER_SUMMARY_2.json', 'latest/ITER_SUMMARY_3.json']);

    await page.locator('#actions-q').fill('SUMMARY_1');
    await expect(page).toHaveURL(/[?&]q=SUMMARY_1(&|$)/);
    await expect(page.getByText('11 actions match')).toBeVisible();
    await page.locator('#actions-rule').selectOption('iter-summary');
    await expect(page).toHaveURL(/[?&]rule=iter-summary/);
    await page.reload();
    await expect(page.locator('#actions-q')).toHaveValue('SUMMARY_1');
    await expect(page.locator('#actions-rule')).toHaveValue('iter-summary');
    expect(await firstCells(page, 'Planned actions', 3)).toEqual(['latest/ITER_SUMMARY_1.json', 'latest/ITER_SUMMARY_10.json', 'latest/ITER_SUMMARY_11.json']);
    await page.goBack();
    await expect(page.locator('#actions-rule')).toHaveValue('');
    // Back from a reloaded page loads the older URL as a new document: wait until it has hydrated
    // (the counts are rendered by the client after its first fetch) before using a filter, or the
    // choice lands on server-rendered markup with no handler yet.
    await expect(page.getByText('11 actions match')).toBeVisible();
    await expect(page.getByText('12 kept files match')).toBeVisible();

    // The kept-files filter offers reasons, each with its rule and count.
    const why = page.locator('#kept-reason');
    const options = await why.locator('option').allTextContents();
    expect(options[0]).toBe('Any reason');
    const audit = options.find((o) => o.includes('kept for the audit'));
    expect(audit).toMatch(/\(1\)$/);
    await why.selectOption({ label: audit! });
    // The stored reason names its rule: "protected by protect-1: kept for the audit".
    await expect(page).toHaveURL(/[?&]kreason=protected(\+|%20)by(\+|%20)protect-1%3A(\+|%20)kept(\+|%20)for(\+|%20)the(\+|%20)audit(&|$)/);
    // The count changes only when the filtered page has arrived (the old rows stay on screen until then).
    await expect(page.getByText('1 kept file matches')).toBeVisible();
    expect(await firstCells(page, 'Kept files', 5)).toEqual(['keep/important.txt']);
  });

  test('the actions table shows every column at 1280 px; no artifacts page scrolls sideways at 390 px', async ({ page }) => {
    await loginAs(page, 'operator');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/artifacts/plans/${planId}`);
    const table = page.getByRole('table', { name: 'Planned actions', exact: true });
    const box = table.locator('xpath=..');
    await expect(box).toBeVisible();
    expect(await box.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    // The last column ends inside the table's box and the 1280 px window (not cut off to the right).
    const frees = (await table.getByRole('columnheader', { name: 'Frees' }).boundingBox())!;
    const outer = (await box.boundingBox())!;
    expect(frees.x + frees.width).toBeLessThanOrEqual(Math.min(outer.x + outer.width, 1280) + 1);
    await page.setViewportSize({ width: 390, height: 900 });
    for (const url of ['/artifacts', `/artifacts/${fixtures().root.id}`, `/artifacts/plans/${planId}`]) {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(390);
    }
  });

  test('the disk-usage chart fits the data and marks a far-away cap at its edge; the picker opens on a root with data', async ({ page }) => {
    fs.mkdirSync(path.join(base(), 'aaa-empty'), { recursive: true });
    await loginAs(page, 'admin');
    await page.goto('/artifacts');
    await page.getByText('Register another root').click();
    await page.locator('#root-name').fill('aaa-empty');
    await page.locator('#root-path').fill(path.join(base(), 'aaa-empty'));
    await page.getByRole('button', { name: 'Register root' }).click();
    await expect(page.getByText('Registered aaa-empty.')).toBeVisible();
    await page.goto('/artifacts');
    // "aaa-empty" sorts first but has no samples: the chart opens on e2e-root.
    await expect(page.locator('#trend-root')).toHaveValue(fixtures().root.id);
    // e2e-root holds ~400 KB under a 10 MB cap: the axis fits the data, the cap is an edge marker.
    await expect(page.locator('#trend').getByText('cap 10 MB ↑')).toBeVisible();
    // The Y axis ticks (every SVG text that is a size) top out in KB, not at the 10 MB cap.
    const sizes = (await page.locator('#trend figure svg text').allTextContents()).filter((t) => /^[\d.,]+ (B|KB|MB|GB)$/.test(t.trim()));
    expect(sizes.filter((t) => t.trim().endsWith(' KB')).length).toBeGreaterThanOrEqual(2);
    expect(sizes.filter((t) => / (MB|GB)$/.test(t.trim()))).toEqual([]);
  });

  test('a root inside another is refused with a message naming it', async ({ page }) => {
    await loginAs(page, 'admin');
    await page.goto('/artifacts');
    await page.getByText('Register another root').click();
    await page.locator('#root-name').fill('inside');
    await page.locator('#root-path').fill(path.join(fixtures().root.path, 'keep'));
    await page.getByRole('button', { name: 'Register root' }).click();
    await expect(page.getByText(`is inside root "e2e-root" (${fixtures().root.path}); two roots may not cover the same files`)).toBeVisible();
  });

  test("a bad cron expression gets Steward's message, never the library's", async ({ page }) => {
    await loginAs(page, 'operator');
    await page.goto(`/artifacts/${fixtures().root.id}`);
    await page.locator('#schedule-cron').fill('61 * * * *');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.getByText('"61 * * * *": minute must be 0–59.')).toBeVisible();
    await page.locator('#schedule-cron').fill('every tuesday');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.getByText('"every tuesday" has 2 fields; a cron expression has 5')).toBeVisible();
    await expect(page.getByText(/CronPattern/)).toHaveCount(0);
  });

  test('admin removes a root after a confirmation that says what happens; files stay on disk', async ({ page, browser }) => {
    const dir = path.join(base(), 'to-remove');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'keep-me.log'), 'x');
    await loginAs(page, 'admin');
    await page.goto('/artifacts');
    await page.getByText('Register another root').click();
    await page.locator('#root-name').fill('to-remove');
    await page.locator('#root-path').fill(dir);
    await page.locator('#root-schedule').fill('0 3 * * *');
    await page.getByRole('button', { name: 'Register root' }).click();
    await page.getByRole('link', { name: 'Open it' }).click();
    const rootId = new URL(page.url()).pathname.split('/').pop()!;

    // An operator has no such control, and the API refuses them.
    const opCtx = await browser.newContext();
    const op = await opCtx.newPage();
    await loginAs(op, 'operator');
    await op.goto(`/artifacts/${rootId}`);
    await expect(op.getByRole('button', { name: 'Remove root' })).toHaveCount(0);
    expect((await opCtx.request.delete(`/api/v1/artifacts/roots/${rootId}`)).status()).toBe(403);
    await opCtx.close();
    expect((await page.request.delete(`/api/v1/artifacts/roots/${rootId}`, { headers: bearer(fixtures().tokens.read.secret) })).status()).toBe(403);

    await page.getByRole('button', { name: 'Remove root' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove root “to-remove”?' });
    await expect(dialog).toContainText('Its schedule (0 3 * * *) stops');
    await expect(dialog).toContainText('rotation history');
    await expect(dialog).toContainText(`No file in ${dir} is touched.`);
    await dialog.getByRole('button', { name: 'Remove root' }).click();
    await page.waitForURL(/\/artifacts$/);
    await expect(page.getByRole('link', { name: 'to-remove' })).toHaveCount(0);
    expect(fs.readFileSync(path.join(dir, 'keep-me.log'), 'utf8')).toBe('x');
    const audit = await auditRows(page.request, { action: 'retention.root.delete' });
    expect(audit.some((r) => r.summary.startsWith('Removed root "to-remove"') && r.actorLabel === fixtures().users.admin.email)).toBe(true);
  });

  test('runner reports: ingest token only, never as the server, sane times and numbers; the root figures stay the server\'s', async ({ page, request }) => {
    const { root, tokens } = fixtures();
    const metric = async () => (await (await request.get('/metrics', { headers: bearer(tokens.read.secret) })).text()).split('\n').filter((l) => l.includes(`root="e2e-root"`) && !l.startsWith('#'));
    const before = await metric();
    const record = (over: object = {}) => ({ timestamp: new Date(Date.now() - 60_000).toISOString(), rotation: { deleted: 1, kept: 5 }, compression: { compressed: 0, total_reduction_kb: 0 }, disk_usage: { size_mb: 0.5, within_limit: true }, ...over });
    const post = (data: object, headers = bearer(tokens.ingest.secret)) => request.post('/api/v1/rotation-runs', { headers, data });

    const asServer = await post({ host: 'server', path: root.path, record: record({ timestamp: '9999-12-31T23:59:59Z', steward: { failures: 2e9, bytes_freed: 1e15 } }) });
    expect(asServer.status()).toBe(400);
    const fields = (await asServer.json()).error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['host', 'record.steward.failures']));
    const future = await post({ host: 'ci-7', path: root.path, record: record({ timestamp: '9999-12-31T23:59:59Z' }) });
    expect(future.status()).toBe(400);
    expect((await future.json()).error.details[0].field).toBe('record.timestamp');
    const ok = await post({ host: 'ci-7', path: root.path, record: record() });
    expect(ok.status()).toBe(201);
    expect(await metric()).toEqual(before);

    // A signed-in admin cannot post runner reports: the endpoint takes the ingest token only.
    await loginAs(page, 'admin');
    const session = await page.request.post('/api/v1/rotation-runs', { data: { host: 'ci-7', path: root.path, record: record() } });
    expect(session.status()).toBe(403);

    // The runners' history holds what was accepted: this report (host ci-7) and those of earlier
    // specs; the refused ones (as "server", from the future, by a session) are not there.
    const reports = await (await request.get('/api/v1/audit', { params: { action: 'retention.report', outcome: 'ok', pageSize: '200' }, headers: bearer(tokens.read.secret) })).json();
    await page.goto('/artifacts');
    const runners = page.getByRole('table', { name: 'Rotation runs reported by runners' });
    await expect(runners).toContainText('ci-7');
    await expect(runners.locator('tbody tr')).toHaveCount(reports.rows.length);
    await expect(page.getByText(new RegExp(`^${reports.rows.length} of ${reports.rows.length} reports$`))).toBeVisible();
  });
});
