// A token never outlives its owner: disabling the admin who created it suspends it at once,
// re-enabling restores it, and a demoted owner's token keeps only what the new role allows.
import { expect, test, type Page } from '@playwright/test';
import { login, loginAs } from './fixtures';

const bearer = (s: string) => ({ authorization: `Bearer ${s}` });
const record = { timestamp: '2026-11-01T00:00:00Z', rotation: { deleted: 0, kept: 1 }, compression: { compressed: 0, total_reduction_kb: 0 }, disk_usage: { size_mb: 1, within_limit: true } };

async function tokensRow(page: Page, name: string) {
  await page.goto('/settings');
  return page.getByRole('table', { name: 'API tokens' }).getByRole('row').filter({ hasText: name });
}

test('disabling, re-enabling and demoting the owner of a token', async ({ browser, page }) => {
  test.slow(); // three sign-ins (scrypt each) and several server actions
  const stamp = Date.now();
  const ownerEmail = `token-owner-${stamp}@e2e.test`;
  const tokenName = `owned-${stamp}`;
  await loginAs(page, 'admin');
  await page.goto('/settings');
  const add = page.getByRole('form', { name: 'Add user' });
  await add.getByLabel('Name').fill('Token Owner');
  await add.getByLabel('Email').fill(ownerEmail);
  await add.getByLabel('Password', { exact: true }).fill('token-owner-pass-1');
  await add.getByLabel('Role').selectOption('admin');
  await add.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText(`Added ${ownerEmail} as admin.`)).toBeVisible();

  // The owner creates a token with both scopes.
  const owner = await (await browser.newContext()).newPage();
  await login(owner, ownerEmail, 'token-owner-pass-1');
  await owner.goto('/settings');
  const create = owner.getByRole('form', { name: 'Create token' });
  await create.getByLabel('Name').fill(tokenName);
  await create.getByRole('checkbox', { name: /read/ }).check();
  await create.getByRole('button', { name: 'Create token' }).click();
  const secret = await owner.getByLabel('New token secret').inputValue();
  const whoami = () => page.request.get('/api/v1/whoami', { headers: bearer(secret) });
  expect((await whoami()).status()).toBe(200);

  // Disabled owner: refused at once, and Settings says why.
  await page.goto('/settings');
  await page.getByRole('button', { name: `Disable ${ownerEmail}` }).click();
  await expect(page.getByRole('button', { name: `Enable ${ownerEmail}` })).toBeVisible();
  expect((await whoami()).status()).toBe(401);
  await expect((await tokensRow(page, tokenName)).getByText('suspended: owner disabled')).toBeVisible();

  // Re-enabled: works again.
  await page.getByRole('button', { name: `Enable ${ownerEmail}` }).click();
  await expect(page.getByRole('button', { name: `Disable ${ownerEmail}` })).toBeVisible();
  expect((await whoami()).status()).toBe(200);
  await expect((await tokensRow(page, tokenName)).getByText('active')).toBeVisible();

  // Demoted to viewer: the token may still read but no longer ingest (an operator's right).
  const ingest = () => page.request.post('/api/v1/rotation-runs', { headers: bearer(secret), data: { host: 'ci', path: '/builds', record } });
  expect((await ingest()).status()).toBe(201);
  await page.getByLabel(`Role for ${ownerEmail}`).selectOption('viewer');
  await expect(page.getByLabel(`Role for ${ownerEmail}`)).toHaveValue('viewer');
  await expect((await tokensRow(page, tokenName)).getByText('limited: owner is viewer: only read')).toBeVisible();
  expect((await whoami()).status()).toBe(200);
  expect((await ingest()).status()).toBe(403);
});
