import { expect, test } from '@playwright/test';
import { auditRows, fixtures, loginAs } from './fixtures';

test('creating and revoking a token shows the secret once and writes audit rows', async ({ page }) => {
  await loginAs(page, 'admin');
  await page.goto('/settings');
  const name = `audit-token-${Date.now()}`;
  const form = page.getByRole('form', { name: 'Create token' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('checkbox', { name: /read/ }).check();
  await form.getByRole('button', { name: 'Create token' }).click();
  const secret = await page.getByLabel('New token secret').inputValue();
  expect(secret).toMatch(/^stw_[A-Za-z0-9_-]{32}$/);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByLabel('New token secret')).toHaveCount(0);
  // The secret works against the API…
  const who = await page.request.get('/api/v1/whoami', { headers: { authorization: `Bearer ${secret}` } });
  expect((await who.json()).name).toBe(name);
  // …until it is revoked.
  await page.getByRole('button', { name: `Revoke ${name}` }).click();
  await page.getByRole('button', { name: `Confirm revoke ${name}` }).click();
  await expect(page.getByRole('button', { name: `Revoke ${name}` })).toHaveCount(0);
  expect((await page.request.get('/api/v1/whoami', { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);

  await page.goto('/audit?action=token.');
  const table = page.getByRole('table', { name: 'Audit events, newest first' });
  await expect(table.getByText(`Created token "${name}"`)).toBeVisible();
  await expect(table.getByText(`Revoked token "${name}"`)).toBeVisible();
  // The secret never appears in the audit log.
  await expect(page.getByText(secret)).toHaveCount(0);
});

test('audit filters narrow the list and say when nothing matches', async ({ page }) => {
  await loginAs(page, 'admin');
  await page.goto('/audit?outcome=denied&actor=nobody-at-all');
  await expect(page.getByText('No events match these filters')).toBeVisible();
});

test('a flood of identical refusals is one audit row with a count, shown as ×N', async ({ page, request }) => {
  const headers = { authorization: `Bearer ${fixtures().tokens.ingest.secret}` };
  // whoami needs the read scope; this ingest-only token is refused each time.
  for (let i = 0; i < 6; i++) expect((await request.get('/api/v1/whoami', { headers })).status()).toBe(403);
  const rows = (await auditRows(request, { action: 'whoami', outcome: 'denied', actor: 'e2e-ingest' })) as unknown as { count: number }[];
  // One row, or two if the six calls straddled a 10-minute aggregation window.
  expect(rows.length).toBeLessThanOrEqual(2);
  expect(rows.reduce((n, r) => n + r.count, 0)).toBe(6);
  await loginAs(page, 'admin');
  await page.goto('/audit?action=whoami&outcome=denied');
  const table = page.getByRole('table', { name: 'Audit events, newest first' });
  await expect(table.getByText(`×${Math.max(...rows.map((r) => r.count))}`)).toBeVisible();
});
