// Uploading results from the browser (issue 9: "Upload in the UI too (operator)"), on the real
// server: an operator picks a JUnit file, names the checkout directory, and the stored test's
// file is relative to it; a relative checkout directory is refused naming the field, nothing
// stored; a viewer gets no form; the form fits 390 and 1280 px in light and dark.
import { expect, test } from '@playwright/test';
import { fixtures, loginAs } from './fixtures';

const KEY = 'e2e-upload';
const xml = (dir: string) =>
  `<testsuites><testsuite name="Unit"><testsuite name="App\\MoneyTest" file="${dir}/tests/MoneyTest.php">` +
  // testAdd fails, then passes on its rerun (two entries of one test: attempts): a flake.
  `<testcase name="testAdd" classname="App.MoneyTest" file="${dir}/tests/MoneyTest.php" time="0.01"><failure message="timeout"/></testcase>` +
  `<testcase name="testAdd" classname="App.MoneyTest" file="${dir}/tests/MoneyTest.php" time="0.01"/>` +
  `<testcase name="testSubtract" classname="App.MoneyTest" file="${dir}/tests/MoneyTest.php" time="0.01"><failure message="4 is not 5"/></testcase>` +
  `</testsuite></testsuite></testsuites>`;
const file = (dir: string) => ({ name: 'junit.xml', mimeType: 'application/xml', buffer: Buffer.from(xml(dir)) });

test.describe.serial('results upload form', () => {
  test('an operator uploads files with their checkout directory; file paths are stored relative', async ({ page, baseURL }) => {
    await loginAs(page, 'admin');
    const created = await page.request.post('/api/v1/projects', { headers: { origin: new URL(baseURL!).origin, 'content-type': 'application/json' }, data: { key: KEY, name: 'E2E upload' } });
    expect(created.status(), await created.text()).toBe(201);
    await page.context().clearCookies();

    await loginAs(page, 'operator');
    // Two runners with different checkouts: one test, flaky on two commits, so quarantined.
    for (const [commit, dir] of [['u1', '/var/lib/jenkins/workspace/app'], ['u2', '/var/lib/jenkins/workspace/app@2']] as const) {
      await page.goto(`/flaky/${KEY}`);
      await page.getByLabel('Results files').setInputFiles(file(dir));
      await page.getByLabel('Commit').fill(commit);
      await page.getByLabel('Checkout directory').fill(`${dir}/`);
      await page.getByRole('button', { name: 'Upload' }).click();
      await expect(page.getByRole('status')).toContainText('Stored 2 tests: 0 passed, 1 failed, 1 flaky, 0 skipped');
    }
    await expect(page.getByRole('status')).toContainText('1 test(s) quarantined');
    const q = await page.request.get(`/api/v1/projects/${KEY}/quarantine?format=json`, { headers: { authorization: `Bearer ${fixtures().tokens.read.secret}` } });
    const tests = (await q.json()).tests as { id: string; key: string }[];
    expect(tests.map((t) => JSON.parse(t.key))).toEqual([['Unit › App\\MoneyTest', 'App.MoneyTest', 'testAdd', 'tests/MoneyTest.php']]);
    await page.goto(`/flaky/${KEY}/tests/${tests[0]!.id}`);
    await expect(page.getByText('tests/MoneyTest.php', { exact: true })).toBeVisible();
  });

  test('a relative checkout directory is refused naming the field; nothing is stored', async ({ page }) => {
    await loginAs(page, 'operator');
    await page.goto(`/flaky/${KEY}/uploads`);
    const rows = await page.getByRole('row').count();
    await page.goto(`/flaky/${KEY}`);
    await page.getByLabel('Results files').setInputFiles(file('/srv/ci'));
    await page.getByLabel('Commit').fill('u2');
    await page.getByLabel('Checkout directory').fill('srv/ci');
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'must be' })).toHaveText('meta.root: must be an absolute directory (the CI checkout), not the file system root');
    await page.getByLabel('Checkout directory').scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath('upload-refused.png') });
    await page.goto(`/flaky/${KEY}/uploads`);
    await expect(page.getByRole('row')).toHaveCount(rows);
  });

  test('a viewer gets no upload form', async ({ page }) => {
    await loginAs(page, 'viewer');
    await page.goto(`/flaky/${KEY}`);
    await expect(page.getByRole('heading', { level: 1, name: 'E2E upload' })).toBeVisible();
    await expect(page.getByLabel('Results files')).toHaveCount(0);
  });

  for (const width of [1280, 390]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      test(`the upload form fits ${width} px (${colorScheme})`, async ({ browser }) => {
        const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
        const page = await ctx.newPage();
        await loginAs(page, 'operator');
        await page.goto(`/flaky/${KEY}`);
        const form = page.getByLabel('Checkout directory');
        await form.scrollIntoViewIfNeeded();
        expect(await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }))).toEqual({ scroll: width, viewport: width });
        await page.screenshot({ path: test.info().outputPath(`upload-${width}-${colorScheme}.png`) });
        await ctx.close();
      });
    }
  }
});
