// Investigation tickets in a browser, on the real server (issue 9): an auto-quarantine opens a
// ticket; an operator edits it (status, owner, notes, links) and sees the edit after a reload; a
// javascript: link is refused naming the field; links render as safe anchors; the quarantine list
// shows the status; a viewer sees no editor and a replayed edit is refused, audited as denied;
// the page fits 390 and 1280 px in light and dark.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { junitXml } from '../tests/support/junit-xml';
import { actionResult, auditFacts, auditRows, captureActionId, fixtures, loginAs } from './fixtures';

const KEY = 'e2e-tickets';
const WOBBLY = { name: 'ticketed test flakes', classname: 'web.TicketTest' };

async function upload(request: APIRequestContext, commit: string) {
  const res = await request.post(`/api/v1/test-results?project=${KEY}&commit=${commit}&branch=main&run_id=${commit}`, {
    headers: { authorization: `Bearer ${fixtures().tokens.ingest.secret}`, 'content-type': 'application/xml' },
    data: junitXml([{ ...WOBBLY, attempts: ['fail', 'pass'] }]),
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

test.describe.serial('investigation tickets', () => {
  let testId = '';
  let url = '';

  test('an auto-quarantine opens a ticket', async ({ page, request, baseURL }) => {
    await loginAs(page, 'admin');
    const created = await page.request.post('/api/v1/projects', { headers: { origin: new URL(baseURL!).origin, 'content-type': 'application/json' }, data: { key: KEY, name: 'E2E tickets' } });
    expect(created.status(), await created.text()).toBe(201);
    await upload(request, 't1');
    testId = (await upload(request, 't2')).evaluation.quarantined[0];
    expect(testId).toBeTruthy();
    url = `/flaky/${KEY}/tests/${testId}`;
  });

  test('an operator edits the ticket and sees it after a reload; a javascript: link is refused', async ({ page }) => {
    await loginAs(page, 'operator');
    await page.goto(url);
    const card = page.getByRole('region', { name: 'Investigation ticket' });
    // The status badge (the form's <select> has an option of the same text).
    const status = (s: string) => card.locator('span', { hasText: new RegExp(`^${s}$`) });
    await expect(status('open')).toBeVisible();
    await card.getByText('Edit the ticket').click();
    const form = card.getByRole('form', { name: 'Edit the ticket' });
    await form.getByLabel('Status').selectOption('investigating');
    await form.getByLabel('Owner').fill('@team-web');
    await form.getByLabel('Notes').fill('Suspect the payment sandbox.\nRetry storms at 02:00.');
    await form.getByRole('button', { name: 'Add a link' }).click();
    await form.getByLabel('Link 1 label').fill('bad');
    await form.getByLabel('Link 1 URL').fill('javascript:alert(document.cookie)');
    await form.getByRole('button', { name: 'Save ticket' }).click();
    await expect(form.getByRole('alert')).toHaveText('links[0].url: must be an http:// or https:// URL');
    await expect(form.getByText('must be an http:// or https:// URL', { exact: true })).toBeVisible();
    await form.getByLabel('Link 1 URL').fill('https://ci.example.com/runs/42');
    await form.getByLabel('Link 1 label').fill('CI run 42');
    await form.getByRole('button', { name: 'Save ticket' }).click();
    await expect(status('investigating')).toBeVisible();

    await page.reload();
    await expect(status('investigating')).toBeVisible();
    await expect(card).toContainText('owner: @team-web');
    await expect(card.getByTestId('ticket-notes')).toHaveText('Suspect the payment sandbox.\nRetry storms at 02:00.');
    const link = card.getByRole('link', { name: 'CI run 42' });
    await expect(link).toHaveAttribute('href', 'https://ci.example.com/runs/42');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(page.getByRole('region', { name: 'Timeline' }).getByText(/^Ticket: status open → investigating; owner @team-web; notes edited; 1 link\.$/)).toBeVisible();

    await page.goto(`/flaky/${KEY}`);
    const row = page.getByRole('table', { name: 'Quarantined tests', exact: true }).locator('tbody tr').first();
    await expect(row.getByRole('link', { name: 'Ticket: investigating' })).toBeVisible();
    await expect(row).toContainText('@team-web');
  });

  test('a viewer sees the ticket without an editor; a replayed edit is refused and audited as denied', async ({ browser, request }) => {
    const opCtx = await browser.newContext();
    const op = await opCtx.newPage();
    await loginAs(op, 'operator');
    await op.goto(url);
    await op.getByText('Edit the ticket').click();
    const actionId = await captureActionId(op, () => op.getByRole('button', { name: 'Save ticket' }).click());
    await opCtx.close();

    const viewerCtx = await browser.newContext();
    const viewer = await viewerCtx.newPage();
    await loginAs(viewer, 'viewer');
    await viewer.goto(url);
    const card = viewer.getByRole('region', { name: 'Investigation ticket' });
    await expect(card.locator('span', { hasText: /^investigating$/ })).toBeVisible();
    await expect(card.getByText('Edit the ticket')).toHaveCount(0);
    await expect(card.getByRole('link', { name: 'CI run 42' })).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    const ticketId = (await (await request.get(`/api/v1/projects/${KEY}/quarantine`, { headers: { authorization: `Bearer ${fixtures().tokens.read.secret}` } })).json()).tests[0].ticket.id;
    const res = await viewerCtx.request.post(url, {
      headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
      data: JSON.stringify([{ ticketId, expectedUpdatedAt: new Date().toISOString(), status: 'wontfix' }]),
    });
    expect(actionResult(await res.text())).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the operator role.' } });
    await viewerCtx.close();
    const email = fixtures().users.viewer.email;
    expect(auditFacts(await auditRows(request, { outcome: 'denied', action: 'ticket.update', actor: email }))).toEqual([
      { action: 'ticket.update', outcome: 'denied', actorLabel: email, summary: `Refused: ticket.update needs the operator role; ${email} is viewer` },
    ]);
    const t = await (await request.get(`/api/v1/tickets/${ticketId}`, { headers: { authorization: `Bearer ${fixtures().tokens.read.secret}` } })).json();
    expect(t.ticket.status).toBe('investigating');
  });

  for (const width of [1280, 390]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      test(`the test page with the editor open fits ${width} px (${colorScheme})`, async ({ browser }) => {
        const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const page = await ctx.newPage();
        await loginAs(page, 'operator');
        await page.goto(url);
        await page.getByText('Edit the ticket').click();
        await expect(page.getByRole('button', { name: 'Save ticket' })).toBeVisible();
        expect(await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }))).toEqual({ scroll: width, viewport: width });
        await page.screenshot({ path: test.info().outputPath(`ticket-${width}-${colorScheme}.png`), fullPage: true });
        await ctx.close();
      });
    }
  }
});
