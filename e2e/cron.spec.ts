// Cron checks in a browser (issue 11, part 1), on the real server: an admin routes cron events to
// a webhook receiver this spec starts; an operator creates a ping check (every 1 minute, grace
// 1 minute) in the form, pings it with a real HTTP request to /ping/<uuid> and sees it up, then
// stops pinging and sees it turn late and then down, with the cron.down event delivered to the
// receiver and listed on the check page. A viewer sees no control, and replaying the operator's
// pause action as a viewer is refused. The pages fit 1280 and 390 px, light and dark.
// (e2e/serve.sh sets STEWARD_NOTIFY_ALLOW_PRIVATE=1 so the server may post to 127.0.0.1.)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { actionResult, captureActionId, loginAs } from './fixtures';

const PORT = Number(process.env.E2E_PORT_BASE ?? 3100) + 260;
const PASS = Date.now().toString(36);
const CHECK = `e2e nightly backup ${PASS}`;
const CHANNEL = `e2e-cron-hook-${PASS}`;
const received: { path: string; body: Record<string, unknown> }[] = [];
let receiver: http.Server;
let checkUrl = '';

test.beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      } catch {
        received.push({ path: req.url ?? '', body: {} });
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(PORT, '127.0.0.1', r));
});
test.afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
});

/** The state the check page shows (the badge in its Status card), after a reload. */
async function shownState(page: Page): Promise<string | null> {
  await page.reload();
  return page.locator('#status [data-state]').first().getAttribute('data-state');
}

test.describe.serial('cron', () => {
  test('an admin routes every cron event to a webhook channel', async ({ page }) => {
    await loginAs(page, 'admin');
    await page.goto('/settings/notifications');
    const add = page.getByRole('form', { name: 'Add channel' });
    await add.getByLabel('Name').fill(CHANNEL);
    await add.getByLabel('Webhook URL').fill(`http://127.0.0.1:${PORT}/cron-hook`);
    await add.getByRole('button', { name: 'Add channel' }).click();
    const rule = page.getByRole('form', { name: `Add rule to ${CHANNEL}` });
    const kinds = rule.locator('input[name="kinds"]');
    await expect(kinds.first()).toBeVisible();
    for (const box of await kinds.all()) {
      const kind = (await box.getAttribute('value')) ?? '';
      if (kind.startsWith('cron.')) await box.check();
      else await box.uncheck();
    }
    expect(await rule.locator('input[name="kinds"][value^="cron."]:checked').count()).toBeGreaterThan(0);
    await rule.getByRole('button', { name: 'Add rule' }).click();
    await expect(page.getByRole('list', { name: `Rules of ${CHANNEL}` })).toBeVisible();
  });

  test('an operator creates a ping check, pings it and sees it up, then late, then down with a notification', async ({ page }) => {
    test.setTimeout(300_000);
    await loginAs(page, 'operator');
    await page.goto('/cron');
    await page.getByRole('link', { name: 'New check' }).first().click();
    await page.waitForURL('**/cron/new');
    await page.getByLabel('Name', { exact: true }).fill(CHECK);
    await page.getByLabel('Tags (optional)').fill('e2e backups');
    await page.getByLabel('Period', { exact: true }).fill('1m');
    await page.getByLabel('Grace', { exact: true }).fill('1m');
    // The live preview: five runs a minute apart, from the engine.
    await expect(page.getByTestId('schedule-text')).toHaveText('every 1m, grace 1m');
    await expect(page.getByRole('list', { name: 'Next five expected times' }).getByRole('listitem')).toHaveCount(5);
    // A typo is caught before anything is sent, next to its field.
    await page.getByLabel('Period', { exact: true }).fill('1x');
    await page.getByRole('button', { name: 'Create check' }).click();
    await expect(page.locator('#check-period-error')).toContainText('"1x" is not a duration');
    await page.getByLabel('Period', { exact: true }).fill('1m');
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.waitForURL(/\/cron\/(?!new$)[^/]+$/);
    checkUrl = new URL(page.url()).pathname;
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(CHECK);
    expect(await page.locator('#status [data-state]').first().getAttribute('data-state')).toBe('new');

    // The ping URL as the page shows it, called like a crontab line would (any method, 200 "OK").
    const pingUrl = (await page.getByLabel('Ping URL', { exact: true }).textContent())!.trim();
    expect(pingUrl).toMatch(/\/ping\/[0-9a-f-]{36}$/);
    await expect(page.getByLabel('crontab line', { exact: true })).toContainText(`&& curl -fsS -m 10 --retry 5 -o /dev/null ${pingUrl}`);
    const res = await fetch(pingUrl, { method: 'POST', headers: { 'user-agent': 'e2e-cron/1.0 <b>ua</b>' }, body: 'backup done \x1b[31m42 files\x1b[0m <script>alert(1)</script>' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');

    expect(await shownState(page)).toBe('up');
    const log = page.getByRole('table', { name: 'Ping log, newest first' });
    await expect(log).toContainText('e2e-cron/1.0 <b>ua</b>');
    await log.getByText(/characters/).first().click();
    // The body is text: escapes stripped, markup shown as written, never run.
    await expect(log.locator('pre').first()).toHaveText('backup done 42 files <script>alert(1)</script>');
    await page.goto('/cron?q=' + encodeURIComponent(PASS));
    const row = page.getByRole('table', { name: 'Cron checks' }).getByRole('row').filter({ hasText: CHECK });
    await expect(row.locator('[data-state]')).toHaveAttribute('data-state', 'up');
    await expect(row).toContainText('every 1m');
    await page.goto(checkUrl);

    // No more pings: late once the minute is up, down a minute later (the alert loop runs every 10 s).
    await expect.poll(() => shownState(page), { timeout: 100_000, intervals: [5_000] }).toBe('late');
    await expect.poll(() => shownState(page), { timeout: 100_000, intervals: [5_000] }).toBe('down');
    await expect.poll(() => received.some((r) => r.body.kind === 'cron.down' && (r.body.subject as { name?: string } | undefined)?.name === CHECK), { timeout: 90_000, intervals: [2_000] }).toBe(true);
    const down = received.find((r) => r.body.kind === 'cron.down')!;
    expect(down.path).toBe('/cron-hook');
    await expect.poll(async () => {
      await page.reload();
      return page.getByRole('table', { name: 'Notifications sent, newest first' }).getByRole('row').filter({ hasText: 'cron.down' }).filter({ hasText: CHANNEL }).count();
    }, { timeout: 30_000, intervals: [2_000] }).toBeGreaterThan(0);
    await expect(page.getByRole('table', { name: 'State changes, newest first' })).toContainText('down');
  });

  test('a viewer reads the checks but has no control, and replaying an operator action is refused', async ({ browser, page }) => {
    test.skip(!checkUrl, 'needs the check created above');
    await loginAs(page, 'operator');
    await page.goto(checkUrl);
    const actionId = await captureActionId(page, () => page.getByRole('button', { name: 'Pause' }).click());

    const ctx = await browser.newContext();
    const viewer = await ctx.newPage();
    await loginAs(viewer, 'viewer');
    await viewer.goto('/cron');
    await expect(viewer.getByRole('heading', { level: 1, name: 'Cron' })).toBeVisible();
    await expect(viewer.getByRole('link', { name: 'New check' })).toHaveCount(0);
    await viewer.goto(checkUrl);
    await expect(viewer.getByRole('heading', { level: 1 })).toHaveText(CHECK);
    for (const name of ['Edit', 'Pause', 'Resume', 'Delete']) {
      await expect(viewer.getByRole('main').getByRole(name === 'Edit' ? 'link' : 'button', { name, exact: true })).toHaveCount(0);
    }
    await viewer.goto('/cron/new');
    await expect(viewer.getByText('Only operators and admins create checks')).toBeVisible();
    expect(await viewer.getByRole('main').locator('form').count()).toBe(0);
    const id = checkUrl.split('/').at(-1)!;
    const replay = await ctx.request.post(checkUrl, {
      headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
      data: JSON.stringify([{ id }]),
    });
    expect(actionResult(await replay.text())).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the operator role.' } });
    await ctx.close();
    // Still not paused.
    await page.unrouteAll();
    expect(await shownState(page)).not.toBe('paused');
  });

  const SHOTS = process.env.CRON_SHOTS_DIR;
  for (const width of [1280, 390]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      test(`the cron pages fit ${width} px (${colorScheme})`, async ({ browser }) => {
        test.skip(!checkUrl, 'needs the check created above');
        const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const page = await ctx.newPage();
        await loginAs(page, 'admin');
        for (const [name, url] of [['list', '/cron'], ['check', checkUrl], ['new', '/cron/new']] as const) {
          await page.goto(url);
          await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
          if (name === 'new') await expect(page.getByRole('list', { name: 'Next five expected times' })).toBeVisible();
          expect(await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })), url).toEqual({ scroll: width, viewport: width });
          const file = `cron-${name}-${width}-${colorScheme}.png`;
          await page.screenshot({ path: test.info().outputPath(file), fullPage: true });
          if (SHOTS) {
            fs.mkdirSync(SHOTS, { recursive: true });
            fs.copyFileSync(test.info().outputPath(file), path.join(SHOTS, file));
          }
        }
        await ctx.close();
      });
    }
  }
});
