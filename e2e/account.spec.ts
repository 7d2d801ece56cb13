// Changing your own password (Settings → Your account): the current password is checked on its
// field, success signs out every other session of that user, and both outcomes are audited.
import { expect, test, type Page } from '@playwright/test';
import { auditRows, login, loginAs } from './fixtures';

async function addUser(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Add user' });
  await form.getByLabel('Name').fill('Password Changer');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText(`Added ${email} as viewer.`)).toBeVisible();
}

test('change password: wrong current password is a field error; success ends the other sessions', async ({ browser, page, request }) => {
  test.slow(); // three sign-ins (scrypt each) and several server actions
  // A user of its own, so the seeded accounts other specs sign in with keep their passwords.
  const email = `pw-${Date.now()}@e2e.test`;
  const [oldPassword, newPassword] = ['old-password-123', 'new-password-456'];
  await loginAs(page, 'admin');
  await addUser(page, email, oldPassword);

  const elsewhere = await (await browser.newContext()).newPage();
  await login(elsewhere, email, oldPassword);
  const here = await (await browser.newContext()).newPage();
  await login(here, email, oldPassword);
  await here.goto('/settings');
  const form = here.getByRole('form', { name: 'Change password' });

  await form.getByLabel('Current password').fill('not-my-password-1');
  await form.getByLabel('New password', { exact: true }).fill(newPassword);
  await form.getByLabel('Repeat new password').fill(newPassword);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Current password')).toHaveAccessibleDescription(/Not your current password/);

  await form.getByLabel('Current password').fill(oldPassword);
  await form.getByLabel('New password', { exact: true }).fill(newPassword);
  await form.getByLabel('Repeat new password').fill(newPassword);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Password changed. 1 other session signed out.')).toBeVisible();

  // The other browser is signed out; this one stays signed in.
  await elsewhere.goto('/settings');
  await expect(elsewhere).toHaveURL(/\/login/);
  await here.goto('/settings');
  await expect(here.getByRole('heading', { name: 'Settings' })).toBeVisible();
  // Only the new password signs in.
  await elsewhere.getByLabel('Email').fill(email);
  await elsewhere.getByLabel('Password', { exact: true }).fill(oldPassword);
  await elsewhere.getByRole('button', { name: /sign in/i }).click();
  await expect(elsewhere.getByText('Wrong email or password.')).toBeVisible();
  await login(elsewhere, email, newPassword);

  const rows = await auditRows(request, { action: 'account.password', actor: email });
  expect(rows.map((r) => [r.outcome, r.summary]).sort()).toEqual([
    ['denied', 'Refused: wrong current password'],
    ['ok', 'Changed own password; 1 other session signed out'],
  ]);
});

test('change password: the form flags empty and mismatched fields without a round trip', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('New password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('New password', { exact: true }).fill('long-enough-pass-1');
  await form.getByLabel('Repeat new password').fill('long-enough-pass-2');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByLabel('Repeat new password')).toHaveAccessibleDescription(/Does not match the new password/);
});
