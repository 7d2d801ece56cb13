// Notifications in a browser, on the real server: an admin adds a JSON webhook channel pointing
// at a receiver this spec starts, sends a test message, sees it delivered in the log, and the
// page never shows the URL's token; a viewer replaying the create-channel action is refused.
// (e2e/serve.sh sets STEWARD_NOTIFY_ALLOW_PRIVATE=1 so the server may post to 127.0.0.1.)
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { actionResult, auditFacts, auditRows, captureActionId, fixtures, loginAs } from './fixtures';

const PORT = Number(process.env.E2E_PORT_BASE ?? 3100) + 250;
const TOKEN = 'e2e-hook-TOKEN-5f1c';
const bodies: { path: string; body: string }[] = [];
let receiver: http.Server;

test.beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(PORT, '127.0.0.1', r));
});
test.afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
});

test.describe('notifications', () => {
  test('an admin adds a webhook channel, sends a test message and sees it delivered in the log', async ({ page }) => {
    const name = `e2e-hook-${Date.now()}`;
    await loginAs(page, 'admin');
    await page.goto('/settings/notifications');
    const add = page.getByRole('form', { name: 'Add channel' });
    await add.getByLabel('Name').fill(name);
    await add.getByLabel('Webhook URL').fill(`http://127.0.0.1:${PORT}/hooks/${TOKEN}`);
    await add.getByRole('button', { name: 'Add channel' }).click();
    const card = page.getByRole('article', { name });
    await expect(card).toContainText('URL set');
    await card.getByRole('button', { name: `Send test message to ${name}` }).click();
    await expect(card.getByRole('status')).toHaveText('Test message delivered.');
    const hit = bodies.at(-1)!;
    expect(hit.path).toBe(`/hooks/${TOKEN}`);
    expect(JSON.parse(hit.body)).toMatchObject({ version: 1, kind: 'steward.test', test: true, subject: { type: 'channel', name } });

    await page.reload();
    const row = page.getByRole('table', { name: 'Notification deliveries' }).getByRole('row').filter({ hasText: name });
    await expect(row).toContainText('delivered');
    await expect(row).toContainText('204');
    expect(await page.content()).not.toContain(TOKEN);

    // Editing shows the secret as unchanged and keeps it.
    await card.getByRole('button', { name: `Edit ${name}` }).click();
    await expect(card.getByLabel('Webhook URL')).toHaveValue('');
    await expect(card.getByLabel('Webhook URL')).toHaveAttribute('placeholder', 'unchanged (type to replace)');
    await card.getByRole('button', { name: 'Save channel' }).click();
    await expect(card).toContainText('URL set');
  });

  test('a viewer replaying the create-channel action is refused, and it is audited', async ({ browser, page, request }) => {
    await loginAs(page, 'admin');
    await page.goto('/settings/notifications');
    const add = page.getByRole('form', { name: 'Add channel' });
    await add.getByLabel('Name').fill('never-created');
    await add.getByLabel('Webhook URL').fill(`http://127.0.0.1:${PORT}/nope`);
    const actionId = await captureActionId(page, () => add.getByRole('button', { name: 'Add channel' }).click());

    const viewerCtx = await browser.newContext();
    const viewer = await viewerCtx.newPage();
    await loginAs(viewer, 'viewer');
    const res = await viewerCtx.request.post('/settings/notifications', {
      headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
      data: JSON.stringify([{ channel: { type: 'webhook', name: 'viewer-hook', url: `http://127.0.0.1:${PORT}/viewer` } }]),
    });
    expect(actionResult(await res.text())).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the admin role.' } });
    await viewer.goto('/settings/notifications');
    await expect(viewer.getByText('Only operators and admins see notification settings.')).toBeVisible();
    await viewerCtx.close();
    const email = fixtures().users.viewer.email;
    expect(auditFacts(await auditRows(request, { outcome: 'denied', action: 'notification.channel.create', actor: email }))).toEqual([
      { action: 'notification.channel.create', outcome: 'denied', actorLabel: email, summary: `Refused: notification.channel.create needs the admin role; ${email} is viewer` },
    ]);
    expect(bodies.some((b) => b.path === '/viewer')).toBe(false);
  });
});
