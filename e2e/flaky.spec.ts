// Flaky tests in a browser and over the API, on the real server (issue 9): an admin creates a
// project; CI uploads JUnit with the ingest token; a test that flakes on two commits is
// auto-quarantined with a ticket; ten greens make it eligible; a viewer replaying the
// unquarantine action is refused; an operator unquarantines it with one click, audited; CI reads
// the list in runner formats, and `steward test` turns a quarantined failure green.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { junitXml, type CaseSpec } from '../tests/support/junit-xml';
import { actionResult, auditFacts, auditRows, captureActionId, fixtures, loginAs } from './fixtures';

const KEY = 'e2e-web';
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const WOBBLY = { name: 'checkout retries payment', classname: 'web.CheckoutTest', file: 'tests/checkout_test.py' };

async function upload(request: APIRequestContext, commit: string, cases: CaseSpec[]) {
  const res = await request.post(`/api/v1/test-results?project=${KEY}&commit=${commit}&branch=main&run_id=${commit}`, {
    headers: { ...bearer(fixtures().tokens.ingest.secret), 'content-type': 'application/xml' },
    data: junitXml(cases),
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

test.describe.serial('flaky tests', () => {
  let testId = '';

  test('an admin creates a project from the page', async ({ page }) => {
    await loginAs(page, 'admin');
    await page.goto('/flaky');
    await page.getByLabel('Key').fill(KEY);
    await page.getByLabel('Name').fill('E2E web');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(`**/flaky/${KEY}`);
    await expect(page.getByRole('heading', { level: 1, name: 'E2E web' })).toBeVisible();
  });

  test('flakes on two commits auto-quarantine the test with a ticket', async ({ page, request }) => {
    const first = await upload(request, 'c1', [{ ...WOBBLY, attempts: ['fail', 'pass'] }, { name: 'renders cart', classname: 'web.CartTest' }]);
    expect(first.totals).toEqual({ tests: 2, passed: 1, failed: 0, errors: 0, skipped: 0, flaky: 1, attempts: 3 });
    expect(first.evaluation.quarantined).toEqual([]);
    const second = await upload(request, 'c2', [{ ...WOBBLY, attempts: ['fail', 'pass'] }, { name: 'renders cart', classname: 'web.CartTest' }]);
    expect(second.evaluation.quarantined).toHaveLength(1);
    testId = second.evaluation.quarantined[0];

    await loginAs(page, 'operator');
    await page.goto(`/flaky/${KEY}`);
    const table = page.getByRole('table', { name: 'Quarantined tests', exact: true });
    await expect(page.getByRole('heading', { name: 'Quarantine (1)' })).toBeVisible();
    const row = table.locator('tbody tr').first();
    await expect(row).toContainText(WOBBLY.name);
    await expect(row).toContainText('2 flakes in 7 days: commits c1, c2');
    await expect(row).toContainText('open');
    await expect(row).toContainText('0 / 10 greens');
  });

  test('steward test turns a failure of the quarantined test green, and a new failure red', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-steward-test-'));
    const run = (cases: CaseSpec[]) => {
      const script = path.join(dir, 'run.mjs');
      fs.writeFileSync(script, `import fs from 'node:fs'; fs.writeFileSync(${JSON.stringify(path.join(dir, 'junit.xml'))}, ${JSON.stringify(junitXml(cases))}); process.exit(1);`);
      return spawnSync(process.execPath, ['bin/steward.mjs', 'test', '--project', KEY, '--junit', `${dir}/*.xml`, '--commit', `t${Date.now()}`, '--', process.execPath, script], {
        encoding: 'utf8', env: { ...process.env, STEWARD_URL: test.info().project.use.baseURL!, STEWARD_TOKEN: fixtures().tokens.ingest.secret }, timeout: 60_000,
      });
    };
    const green = run([{ ...WOBBLY, attempts: ['fail'] }, { name: 'renders cart', classname: 'web.CartTest' }]);
    expect(green.stderr).toContain('ignored (quarantined): web.CheckoutTest › checkout retries payment');
    expect(green.status).toBe(0);
    const red = run([{ name: 'renders cart', classname: 'web.CartTest', attempts: ['fail'] }]);
    expect(red.stderr).toContain('failing: web.CartTest › renders cart');
    expect(red.status).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ten first-attempt greens make it eligible; the runner formats list it', async ({ page, request }) => {
    for (let i = 1; i <= 10; i++) await upload(request, `g${i}`, [WOBBLY]);
    const read = bearer(fixtures().tokens.read.secret);
    const pytest = await request.get(`/api/v1/projects/${KEY}/quarantine?format=pytest`, { headers: read });
    expect(await pytest.text()).toBe('tests/checkout_test.py::CheckoutTest::checkout retries payment\n');
    const json = await (await request.get(`/api/v1/projects/${KEY}/quarantine`, { headers: read })).json();
    expect(json.tests.map((t: { id: string; reason: string }) => [t.id, t.reason])).toEqual([[testId, '2 flakes in 7 days: commits c1, c2']]);
    expect((await request.get(`/api/v1/projects/${KEY}/quarantine?format=xml`, { headers: read })).status()).toBe(400);

    await loginAs(page, 'operator');
    await page.goto(`/flaky/${KEY}`);
    const row = page.getByRole('table', { name: 'Quarantined tests', exact: true }).locator('tbody tr').first();
    await expect(row).toContainText('10 / 10 greens');
    await expect(row).toContainText('eligible');
  });

  test('a viewer replaying the unquarantine action is refused; the operator unquarantines with one click, audited', async ({ browser, page, request }) => {
    // Capture the action id from the operator's click without letting it through.
    const opCtx = await browser.newContext();
    const op = await opCtx.newPage();
    await loginAs(op, 'operator');
    await op.goto(`/flaky/${KEY}`);
    const actionId = await captureActionId(op, () => op.getByRole('button', { name: `Unquarantine ${WOBBLY.name}` }).click());
    await opCtx.close();

    const viewerCtx = await browser.newContext();
    const viewer = await viewerCtx.newPage();
    await loginAs(viewer, 'viewer');
    const res = await viewerCtx.request.post(`/flaky/${KEY}`, {
      headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
      data: JSON.stringify([{ testId, note: '' }]),
    });
    expect(actionResult(await res.text())).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the operator role.' } });
    await viewerCtx.close();
    const viewerEmail = fixtures().users.viewer.email;
    expect(auditFacts(await auditRows(request, { outcome: 'denied', action: 'test.unquarantine', actor: viewerEmail }))).toEqual([
      { action: 'test.unquarantine', outcome: 'denied', actorLabel: viewerEmail, summary: `Refused: test.unquarantine needs the operator role; ${viewerEmail} is viewer` },
    ]);

    await loginAs(page, 'operator');
    await page.goto(`/flaky/${KEY}`);
    await expect(page.getByRole('heading', { name: 'Quarantine (1)' })).toBeVisible();
    await page.getByRole('button', { name: `Unquarantine ${WOBBLY.name}` }).click();
    await expect(page.getByRole('heading', { name: 'Quarantine (0)' })).toBeVisible();
    await expect(page.getByText('Nothing is quarantined')).toBeVisible();
    const operatorEmail = fixtures().users.operator.email;
    expect(auditFacts(await auditRows(request, { outcome: 'ok', action: 'test.unquarantine' }))).toEqual([
      { action: 'test.unquarantine', outcome: 'ok', actorLabel: operatorEmail, summary: `Unquarantined ${WOBBLY.name} (${KEY}): Unquarantined after 10 consecutive greens.` },
    ]);
    const text = await request.get(`/api/v1/projects/${KEY}/quarantine?format=text`, { headers: bearer(fixtures().tokens.read.secret) });
    expect(await text.text()).toBe('');

    // The test page tells the story.
    await page.goto(`/flaky/${KEY}/tests/${testId}`);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    for (const kind of ['quarantined', 'ticket', 'eligible', 'unquarantined']) await expect(timeline.getByText(kind, { exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: /^Last \d+ results$/ })).toContainText('flaky');
  });
});
