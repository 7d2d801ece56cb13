// Runs against the "fresh" server: an empty embedded database, as on a new machine.
import { expect, test } from '@playwright/test';
import { login } from './fixtures';

const admin = { name: 'First Admin', email: 'first@e2e.test', password: 'first-admin-pass-1' };
const SETUP_CODE = 'e2e-first-run-setup-code'; // as exported by e2e/serve.sh for the fresh server

test.describe.serial('first run on the embedded database', () => {
  test('the server runs on the embedded database', async ({ request }) => {
    const body = await (await request.get('/api/health')).json();
    expect(body.database).toMatchObject({ ok: true, kind: 'embedded' });
    // The built server must load the native scanner (a bundling mistake would silently fall back).
    expect(body.scanner).toEqual(process.env.STEWARD_REQUIRE_NATIVE === '1' ? 'native' : expect.stringMatching(/^(native|js)$/)); // toBe ignores asymmetric matchers
  });

  test('with no users every page leads to setup, which creates the admin and signs in', async ({ page }) => {
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/setup$/);
    // Submitted empty, every required field says so on the field itself.
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    for (const label of ['Setup code', 'Name', 'Email', 'Password', 'Confirm password']) {
      await expect(page.getByLabel(label, { exact: true })).toHaveAttribute('aria-invalid', 'true');
    }
    // The one-time setup code: e2e/serve.sh gives this server STEWARD_SETUP_CODE.
    await page.getByLabel('Setup code').fill('WRONG-CODE-0000');
    await page.getByLabel('Name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByLabel('Confirm password').fill('something-else-1');
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await expect(page.getByText('Does not match the password.')).toBeVisible();
    await page.getByLabel('Confirm password').fill(admin.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await expect(page.getByLabel('Setup code')).toHaveAccessibleDescription(/Not a current setup code/);
    await page.getByLabel('Setup code').fill(SETUP_CODE);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByText(admin.email).first()).toBeVisible();
    // The overview shows the one real account and the setup event, nothing invented.
    await expect(page.getByText('First-run setup created admin first@e2e.test')).toBeVisible();
    await expect(page.getByText('Admins: 1')).toBeVisible();
  });

  test('setup is closed once an admin exists', async ({ page }) => {
    await page.goto('/setup');
    await expect(page).toHaveURL(/\/(login)?$/);
    expect(page.url()).not.toContain('/setup');
  });

  test('sign out, then sign back in', async ({ page }) => {
    await login(page, admin.email, admin.password);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/settings');
    await expect(page).toHaveURL(/\/login/);
    await login(page, admin.email, admin.password);
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  });

  test('a wrong password is refused, and repeated attempts are rate limited', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill('wrong-password-1');
    // One click, one sign-in request: wait for its response and read its status.
    const attempt = async () => {
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/auth/sign-in/email'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      return res.status();
    };
    expect(await attempt()).toBe(401);
    await expect(page.getByText('Wrong email or password.')).toBeVisible();
    // This server allows 5 sign-in attempts a minute per client (STEWARD_LOGIN_MAX_ATTEMPTS=5);
    // the sign-ins above used some, so the refusal comes within 5 more attempts (8 is a bound).
    const statuses: number[] = [];
    while (statuses.length < 8 && statuses.at(-1) !== 429) statuses.push(await attempt());
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1)).toEqual(statuses.slice(0, -1).map(() => 401));
    await expect(page.getByText(/Too many sign-in attempts\. (Try again in \d+ seconds?|Wait a minute and try again)\./)).toBeVisible();
  });
});
