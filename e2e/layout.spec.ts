/**
 * Pages fit their viewport at desktop (1280 px) and phone (390 px) widths: nothing scrolls the
 * page sideways, wide tables keep every column inside their box (or stack into one block per row),
 * and long unbreakable values (paths, token names, emails) wrap instead of running under badges.
 */
import { expect, test, type Page } from '@playwright/test';
import { fixtures, loginAs } from './fixtures';

const PAGES = ['/', '/audit', '/settings', '/settings/notifications', '/cron', '/flaky', '/flaky/layout-check', '/flaky/layout-check/uploads', '/health', '/performance', '/performance/layout-check', '/soak', '/soak/e2e', '/soak/chaos'];
let soakRunPage = '';
let metricPage = '';
// A token name with no place to break, like a long path: it lands in the audit log and Overview.
const LONG = `layout-check-${'x'.repeat(50)}`;

async function pageWidth(page: Page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await loginAs(page, 'admin');
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Create token' });
  await form.getByLabel('Name').fill(LONG);
  await form.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByLabel('New token secret')).toBeVisible();
  // A flaky-test project with a name that has no place to break (once: a restarted worker runs
  // this hook again).
  await page.goto('/flaky');
  if ((await page.getByRole('link', { name: LONG }).count()) === 0) {
    await page.getByLabel('Key').fill('layout-check');
    await page.getByLabel('Name').fill(LONG);
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL('**/flaky/layout-check');
  }
  // Perf runs for that project, with a metric name that has no place to break either; the metric
  // page's address is read from the project page's link.
  for (let i = 0; i < 3; i++) {
    const res = await page.request.post('/api/v1/perf-results', {
      headers: { authorization: `Bearer ${fixtures().tokens.ingest.secret}` },
      data: { project: 'layout-check', profile: 'main', branch: 'main', testbed: { runner: LONG }, files: [{ name: 'p.json', content: JSON.stringify({ format: 'steward-perf/1', metrics: [{ name: LONG, unit: 'ms', samples: [5, 6, 7 + i, 8, 9] }] }) }] },
    });
    expect(res.status()).toBe(201);
  }
  await page.goto('/performance/layout-check');
  metricPage = (await page.getByRole('table', { name: 'Metrics, latest run of each' }).getByRole('link', { name: LONG }).first().getAttribute('href'))!;
  // A soak run with a name that has no place to break; its page's address is read from the list.
  const t0 = Date.now() - 4 * 3_600_000;
  const samples = Array.from({ length: 40 }, (_, i) => JSON.stringify({ ts: new Date(t0 + i * 300_000).toISOString(), rss_mb: 200 + i, cpu_pct: 20, open_fds: 50, threads: 8 })).join('\n');
  const soak = await page.request.post('/api/v1/soak-runs', { headers: { authorization: `Bearer ${fixtures().tokens.ingest.secret}` }, data: { project: 'layout-check', name: LONG, runKey: 'layout-check', files: [{ name: 'resources.jsonl', content: samples }] } });
  expect(soak.status()).toBeLessThan(300);
  await page.goto('/soak?project=layout-check');
  soakRunPage = (await page.getByRole('link', { name: LONG }).first().getAttribute('href'))!;
  await page.close();
});

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('no page scrolls sideways', async ({ page }) => {
      await page.goto('/login');
      expect(await pageWidth(page), '/login').toEqual({ scroll: width, viewport: width });
      await loginAs(page, 'admin');
      for (const p of [...PAGES, metricPage, soakRunPage]) {
        await page.goto(p);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        expect(await pageWidth(page), p).toEqual({ scroll: width, viewport: width });
      }
    });

    test('the audit table shows every column without scrolling its box', async ({ page }) => {
      await loginAs(page, 'admin');
      await page.goto('/audit');
      const table = page.getByRole('table', { name: 'Audit events, newest first' });
      await expect(table.getByText(`Created token "${LONG}"`).first()).toBeVisible();
      const box = await table.evaluate((t) => ({ scroll: t.parentElement!.scrollWidth, client: t.parentElement!.clientWidth }));
      expect(box.scroll).toBeLessThanOrEqual(box.client);
    });

    test('recent activity: long values wrap and never run under the outcome badge', async ({ page }) => {
      await loginAs(page, 'admin');
      await page.goto('/');
      const items = page.getByRole('list', { name: 'Recent audit events' }).getByRole('listitem');
      await expect(items.first()).toBeVisible();
      for (const li of await items.all()) {
        const overlap = await li.evaluate((el) => {
          const badge = (el.querySelector('[data-outcome]') ?? el.lastElementChild!).getBoundingClientRect();
          const text = el.querySelector('[data-summary]') ?? el.children[1]!;
          const r = text.getBoundingClientRect();
          const hits = !(r.right <= badge.left || r.left >= badge.right || r.bottom <= badge.top || r.top >= badge.bottom);
          return { hits, spills: text.scrollWidth > text.clientWidth + 1, outside: r.right > el.getBoundingClientRect().right + 1 };
        });
        expect(overlap).toEqual({ hits: false, spills: false, outside: false });
      }
    });

    test('settings: every user row keeps its role control and action on screen', async ({ page }) => {
      await loginAs(page, 'admin');
      await page.goto('/settings');
      const users = page.getByRole('table', { name: 'Users' });
      for (const select of await users.getByRole('combobox').all()) {
        const b = (await select.boundingBox())!;
        expect(b.x + b.width).toBeLessThanOrEqual(width);
      }
      for (const button of await users.getByRole('button', { name: /^(Disable|Enable) / }).all()) {
        const b = (await button.boundingBox())!;
        expect(b.x + b.width).toBeLessThanOrEqual(width);
      }
    });
  });
}
