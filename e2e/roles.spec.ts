// Authorisation tested like an attacker: the UI hides admin controls from a viewer, and a viewer
// who replays an admin server action (its id is visible in the client JS) is refused and audited.
import { expect, test, type Page } from '@playwright/test';
import { actionResult, auditFacts, auditRows, fixtures, loginAs } from './fixtures';

async function captureCreateUserAction(page: Page): Promise<string> {
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Add user' });
  await form.getByLabel('Name').fill('Captured');
  await form.getByLabel('Email').fill(`captured-${Date.now()}@e2e.test`);
  await form.getByLabel('Password', { exact: true }).fill('captured-pass-1');
  const [req] = await Promise.all([page.waitForRequest((r) => r.method() === 'POST' && Boolean(r.headers()['next-action'])), form.getByRole('button', { name: 'Add user' }).click()]);
  await expect(page.getByText(/Captured|added/i).first()).toBeVisible();
  return req.headers()['next-action']!;
}

test('a viewer sees no admin controls', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/settings');
  await expect(page.getByText('Only admins manage users')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add user' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create token' })).toHaveCount(0);
});

test('a viewer replaying the admin "create user" action is refused, nothing changes, and it is audited', async ({ browser, request }) => {
  const adminCtx = await browser.newContext();
  const adminPage = await adminCtx.newPage();
  await loginAs(adminPage, 'admin');
  const actionId = await captureCreateUserAction(adminPage);
  expect(actionId).toMatch(/^[0-9a-f]{20,}$/);

  const viewerCtx = await browser.newContext();
  const viewerPage = await viewerCtx.newPage();
  await loginAs(viewerPage, 'viewer');
  const evil = `evil-${Date.now()}@e2e.test`;
  const res = await viewerCtx.request.post('/settings', {
    headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
    data: JSON.stringify([{ email: evil, name: 'Evil', password: 'evil-password-1', role: 'admin' }]),
  });
  const text = await res.text();
  expect(actionResult(text)).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the admin role.' } });
  expect(text).not.toContain(evil);

  // Anonymous replay is refused too.
  const anon = await request.post('/settings', {
    headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
    data: JSON.stringify([{ email: `anon-${evil}`, name: 'Anon', password: 'evil-password-1', role: 'admin' }]),
  });
  expect(actionResult(await anon.text())).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });

  // Nothing changed: the admin does not see the account.
  await adminPage.goto('/settings');
  await expect(adminPage.getByRole('table', { name: 'Users' })).toBeVisible();
  await expect(adminPage.getByText(evil)).toHaveCount(0);
  await expect(adminPage.getByText(`anon-${evil}`)).toHaveCount(0);

  // The refusal is in the audit log, attributed to the viewer.
  const viewer = fixtures().users.viewer.email;
  const rows = await auditRows(request, { outcome: 'denied', action: 'user.create', actor: viewer });
  expect(auditFacts(rows)).toEqual([{ action: 'user.create', outcome: 'denied', actorLabel: viewer, summary: `Refused: user.create needs the admin role; ${viewer} is viewer` }]);
  await adminCtx.close();
  await viewerCtx.close();
});

test('a viewer calling an operator API route is refused', async ({ page }) => {
  await loginAs(page, 'viewer');
  // Same-origin JSON, as Steward's own pages send it, so the refusal is the role check's and
  // not the cross-site guard's (e2e/security.spec.ts covers that one).
  const sameSite = { headers: { origin: new URL(page.url()).origin, 'content-type': 'application/json' }, data: '{}' };
  const res = await page.request.post('/api/v1/artifacts/roots/no-such-root/preview', sameSite);
  expect(res.status()).toBe(403);
  expect((await res.json()).error.message).toContain('operator role');
  const approve = await page.request.post('/api/v1/artifacts/plans/no-such-plan/approve', sameSite);
  expect(approve.status()).toBe(403);
  expect((await approve.json()).error.message).toContain('operator role');
});

test('a token cannot use session-only operator routes, whatever its scopes', async ({ request }) => {
  const res = await request.post('/api/v1/artifacts/plans/x/execute', { headers: { authorization: `Bearer ${fixtures().tokens.ingest.secret}` } });
  expect(res.status()).toBe(403);
});
