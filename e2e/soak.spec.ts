// Soak tests in a browser (issue 11, part 2), on the real server: CI posts a leaking and a healthy
// 24-hour soak run, an E2E event log with a failing step and chaos results through the API with the
// ingest token; a viewer sees the verdict per criterion in the list, opens the leaking run and sees
// its charts (the fitted growth line with its interval, the warm-up) and the leak explained in
// words; the E2E and chaos views show the rates against their targets; no page offers a control.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { fixtures, loginAs } from './fixtures';

const KEY = 'e2e-soak';
// Names and run keys of this pass (a retried worker or a re-run on the same server posts new runs).
const PASS = Date.now().toString(36);
const LEAKING = `bot 24h leaking ${PASS}`;
const HEALTHY = `bot 24h healthy ${PASS}`;
const MIN = 60_000;
const bearer = () => ({ authorization: `Bearer ${fixtures().tokens.ingest.secret}` });

const made = new Map<string, string>();
/** 24 hours of samples every 5 minutes ending a minute ago: a leak of 20 MB/h, or a collector sawtooth (made once: a re-send is the same file). */
function samples(kind: 'leak' | 'sawtooth'): string {
  if (!made.has(kind)) made.set(kind, makeSamples(kind));
  return made.get(kind)!;
}

function makeSamples(kind: 'leak' | 'sawtooth'): string {
  let s = kind === 'leak' ? 17 : 29;
  const rand = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const end = Date.now() - MIN;
  const lines: string[] = [];
  for (let m = 0; m <= 24 * 60; m += 5) {
    const warm = 150 + 80 * (1 - Math.exp(-m / 9));
    const rss = kind === 'leak' ? warm + 20 * Math.max(0, m / 60 - 0.5) + (rand() - 0.5) * 6 : warm + 15 * ((m % 180) / 60) + (rand() - 0.5) * 6;
    lines.push(JSON.stringify({ ts: new Date(end - (24 * 60 - m) * MIN).toISOString(), rss_mb: Number(rss.toFixed(1)), cpu_pct: Number((30 + rand() * 10).toFixed(1)), open_fds: 60 + Math.round(rand() * 4), threads: 24, ws_reconnect_attempts_total: Math.floor(m / 30), zombies: 0, disk_mb: 500 + m / 10 }));
  }
  return `${lines.join('\n')}\n`;
}

async function postRun(request: APIRequestContext, name: string, kind: 'leak' | 'sawtooth', runKey: string) {
  return request.post('/api/v1/soak-runs', { headers: bearer(), data: { project: KEY, name, runKey, crashes: 0, orphanOrders: 0, files: [{ name: 'resources.jsonl', content: samples(kind) }] } });
}

async function noControls(page: Page) {
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await main.getByRole('button').count()).toBe(0);
  expect(await main.locator('form, input, select, textarea').count()).toBe(0);
}

test.describe.serial('soak', () => {
  let leakUrl = '';

  test('CI posts a leaking and a healthy soak run, an E2E log and chaos results with the ingest token', async ({ page, request }) => {
    await loginAs(page, 'admin');
    await page.goto('/flaky');
    if ((await page.getByRole('link', { name: 'E2E soak' }).count()) === 0) {
      await page.getByLabel('Key').fill(KEY);
      await page.getByLabel('Name').fill('E2E soak');
      await page.getByRole('button', { name: 'Create project' }).click();
      await page.waitForURL(`**/flaky/${KEY}`);
    }
    const leak = await postRun(request, LEAKING, 'leak', `e2e-soak-leak-${PASS}`);
    expect(leak.status(), await leak.text()).toBe(201);
    const body = await leak.json();
    expect(body).toMatchObject({ status: 'fail', leak: { verdict: 'leak', source: 'fit' } });
    expect(body.leak.lowerMbPerHour).toBeGreaterThan(10);
    const healthy = await postRun(request, HEALTHY, 'sawtooth', `e2e-soak-healthy-${PASS}`);
    expect(healthy.status(), await healthy.text()).toBe(201);
    expect((await healthy.json()).leak.verdict).toBe('no-leak');
    // The same run again is answered, not stored twice.
    expect((await postRun(request, LEAKING, 'leak', `e2e-soak-leak-${PASS}`)).status()).toBe(200);

    const t0 = Date.now() - 30 * MIN;
    const ev = (dt: number, step: string, status: string, extra: Record<string, unknown> = {}) => JSON.stringify({ ts: new Date(t0 + dt * 1000).toISOString(), step, status, ...extra });
    const events = [ev(0, 'publish', 'start'), ev(5, 'publish', 'ok'), ev(6, 'install', 'start'), ev(9, 'install', 'fail', { error: 'npm ERR! 404 Not Found' })].join('\n');
    const e2e = await request.post('/api/v1/e2e-runs', { headers: bearer(), data: { project: KEY, pipeline: `publish-install-use-${PASS}`, runKey: `e2e-soak-1-${PASS}`, file: { name: 'events.jsonl', content: `${events}\n` } } });
    expect(e2e.status(), await e2e.text()).toBe(201);
    const results = { results: [...Array.from({ length: 19 }, () => ({ scenario: `ipfs_restart_${PASS}`, status: 'passed', recovery_time_s: 12 })), { scenario: `ipfs_restart_${PASS}`, status: 'failed' }, { scenario: `gql_latency_${PASS}`, status: 'passed', recovery_time_s: 41 }] };
    const chaos = await request.post('/api/v1/chaos-results', { headers: bearer(), data: { project: KEY, runKey: `e2e-soak-chaos-1-${PASS}`, file: { name: 'chaos.json', content: JSON.stringify(results) } } });
    expect(chaos.status(), await chaos.text()).toBe(201);
  });

  test('a viewer sees the verdict per criterion in the list, and no controls', async ({ page }) => {
    await loginAs(page, 'viewer');
    await page.goto(`/soak?project=${KEY}`);
    const table = page.getByRole('table', { name: 'Soak runs, newest first' });
    const leakRow = table.locator('tbody tr').filter({ hasText: LEAKING });
    await expect(leakRow).toContainText('fail');
    await expect(leakRow.locator('td[data-label="Memory"]')).toContainText(/^leak\d/);
    await expect(leakRow.getByRole('listitem').filter({ hasText: /^✗fail: growth \d+\.\d MB\/h/ })).toBeVisible();
    await expect(leakRow.getByRole('listitem').filter({ hasText: 'duration 24 h' })).toContainText('pass');
    const healthyRow = table.locator('tbody tr').filter({ hasText: HEALTHY });
    await expect(healthyRow.locator('td[data-label="Memory"]')).toContainText(/^no leak/);
    await expect(healthyRow.getByRole('listitem').filter({ hasText: 'growth' })).toContainText('pass');
    await noControls(page);
    leakUrl = (await leakRow.getByRole('link', { name: LEAKING }).getAttribute('href'))!;
    expect(leakUrl).toMatch(/^\/soak\/[0-9a-f-]{36}$/);
  });

  test('the run page shows the charts, the fitted line with its interval and the leak in words', async ({ page }) => {
    await loginAs(page, 'viewer');
    await page.goto(`/soak?project=${KEY}`);
    await page.getByRole('link', { name: LEAKING }).click();
    await page.waitForURL(`**${leakUrl}`);
    await expect(page.getByRole('heading', { level: 1, name: LEAKING })).toBeVisible();
    const sentence = page.getByTestId('leak-sentence');
    await expect(sentence).toContainText(/^Theil–Sen slope \d+\.\d MB\/h, 95 % CI \d+\.\d–\d+\.\d MB\/h after a 30 min warm-up: leak/);
    const rss = page.getByRole('region', { name: 'Memory (RSS)' });
    await expect(rss.locator('svg.recharts-surface')).toBeVisible();
    await expect(rss).toContainText('warm-up');
    await expect(rss).toContainText(/fit \d+\.\d MB\/h, shaded: 95 % CI/);
    // The fitted line is drawn (dashed) and its interval is a filled area.
    await expect(rss.locator('.recharts-line path[stroke-dasharray="6 3"]')).toHaveCount(1);
    await expect(rss.locator('.recharts-area-area').first()).toBeAttached();
    for (const name of ['CPU', 'Open file descriptors', 'Threads', 'WebSocket reconnections (cumulative)']) await expect(page.getByRole('region', { name }).locator('svg.recharts-surface')).toBeVisible();
    const criteria = page.getByRole('table', { name: 'Success criteria' });
    await expect(criteria.locator('tr').filter({ hasText: 'Memory growth' })).toContainText('fail');
    await expect(criteria.locator('tr').filter({ hasText: 'Security issues' })).toContainText('unknown');
    await noControls(page);
  });

  test('E2E pipelines and chaos scenarios against their targets', async ({ page }) => {
    await loginAs(page, 'viewer');
    await page.goto(`/soak/e2e?project=${KEY}`);
    const row = page.getByRole('table', { name: /E2E pipelines/ }).locator('tbody tr').filter({ hasText: `publish-install-use-${PASS}` });
    await expect(row).toContainText('0.0 %');
    await expect(row).toContainText('target > 98 %');
    await expect(row).toContainText('failed at install after publish');
    await expect(row).toContainText('npm ERR! 404 Not Found');
    await noControls(page);
    await page.goto(`/soak/chaos?project=${KEY}`);
    const chaos = page.getByRole('table', { name: /Chaos scenarios/ });
    await expect(chaos.locator('tbody tr').filter({ hasText: `ipfs_restart_${PASS}` })).toContainText('95.0 %');
    await expect(chaos.locator('tbody tr').filter({ hasText: `ipfs_restart_${PASS}` })).toContainText('19 of 20 attempts');
    await expect(chaos.locator('tbody tr').filter({ hasText: `gql_latency_${PASS}` })).toContainText('worst 41 s');
    await noControls(page);
  });
});
