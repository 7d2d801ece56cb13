// Artifact retention from the browser: preview → approve → execute with the result checked on
// disk, and a viewer who replays the operator's approve action is refused with nothing deleted.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { actionResult, auditFacts, auditRows, captureActionId, fixtures, loginAs } from './fixtures';

function onDisk(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

async function previewFromRootPage(page: Page): Promise<string> {
  const { root } = fixtures();
  await page.goto(`/artifacts/${root.id}`);
  await page.getByRole('button', { name: 'Preview cleanup' }).click();
  await page.waitForURL(/\/artifacts\/plans\//);
  return page.url().split('/').pop()!;
}

test.describe.serial('artifact retention', () => {
  let executedPlanId = '';
  test('the artifacts page lists the seeded root with its size', async ({ page }) => {
    await loginAs(page, 'viewer');
    await page.goto('/artifacts');
    await expect(page.getByText('e2e-root').first()).toBeVisible();
    // Viewers get no preview control.
    await page.goto(`/artifacts/${fixtures().root.id}`);
    await expect(page.getByRole('button', { name: 'Preview cleanup' })).toHaveCount(0);
  });

  test("a viewer replaying the operator's approve action is refused and nothing is deleted", async ({ browser, request }) => {
    const { root } = fixtures();
    const before = onDisk(root.path);
    const opCtx = await browser.newContext();
    const op = await opCtx.newPage();
    await loginAs(op, 'operator');
    const planId = await previewFromRootPage(op);
    // Capture the action id of "Approve and execute" without letting the request through.
    const actionId = await captureActionId(op, async () => {
      await op.getByRole('button', { name: 'Approve and execute' }).click();
      await op.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    });
    await opCtx.close();

    const viewerCtx = await browser.newContext();
    const viewer = await viewerCtx.newPage();
    await loginAs(viewer, 'viewer');
    const res = await viewerCtx.request.post(`/artifacts/plans/${planId}`, {
      headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8' },
      data: JSON.stringify([{ planId }]),
    });
    expect(actionResult(await res.text())).toEqual({ ok: false, error: { code: 'forbidden', message: 'This needs the operator role.' } });
    await viewerCtx.close();

    const plan = await (await request.get(`/api/v1/artifacts/plans/${planId}`, { headers: { authorization: `Bearer ${fixtures().tokens.read.secret}` } })).json();
    expect(plan.status).toBe('draft');
    expect(onDisk(root.path)).toEqual(before);
    const viewerEmail = fixtures().users.viewer.email;
    const denied = await auditRows(request, { outcome: 'denied', action: 'retention.execute', actor: viewerEmail });
    expect(auditFacts(denied)).toEqual([{ action: 'retention.execute', outcome: 'denied', actorLabel: viewerEmail, summary: `Refused: retention.execute needs the operator role; ${viewerEmail} is viewer` }]);
  });

  test('an operator previews, approves and executes; the disk matches the plan', async ({ page, request }) => {
    const { root } = fixtures();
    await loginAs(page, 'operator');
    const planId = await previewFromRootPage(page);
    const auth = { authorization: `Bearer ${fixtures().tokens.read.secret}` };
    const plan = await (await request.get(`/api/v1/artifacts/plans/${planId}`, { headers: auth })).json();
    // 30 ITER_SUMMARY files with keep-latest 10 → 20 deletes; old.log deleted; the old snapshot compressed.
    expect(plan.totals).toMatchObject({ filesToDelete: 21, filesToCompress: 1, withinLimit: true });
    const actions = await (await request.get(`/api/v1/artifacts/plans/${planId}/entries`, { params: { kind: 'actions', pageSize: '500' }, headers: auth })).json();
    const deletes = actions.rows.filter((r: { kind: string }) => r.kind === 'delete').map((r: { path: string }) => r.path);

    await page.getByRole('button', { name: 'Approve and execute' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('21');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('status').filter({ hasText: /done|finished|complete/i }).first()).toBeVisible({ timeout: 30_000 });

    const after = onDisk(root.path);
    for (const d of deletes) expect(after).not.toContain(d);
    expect(after).toContain('snapshots/snap_old.json.tar.gz');
    expect(after).not.toContain('snapshots/snap_old.json');
    expect(after).toContain('keep/important.txt');
    expect(after).toContain('logs/new.log');
    expect(after.filter((f) => f.startsWith('latest/'))).toHaveLength(10);
    const log = fs.readFileSync(path.join(root.path, 'rotation', 'ROTATION_LOG.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(log[log.length - 1]!)).toMatchObject({ rotation: { deleted: 21 }, compression: { compressed: 1 }, disk_usage: { within_limit: true } });
    const done = await (await request.get(`/api/v1/artifacts/plans/${planId}`, { headers: auth })).json();
    expect(done.status).toBe('done');
    executedPlanId = planId;
  });

  test('after execution, the plan, the plans list and the history show actual and planned side by side, in the past tense', async ({ page, request }) => {
    const { root, tokens } = fixtures();
    const auth = { authorization: `Bearer ${tokens.read.secret}` };
    const plan = await (await request.get(`/api/v1/artifacts/plans/${executedPlanId}`, { headers: auth })).json();
    await loginAs(page, 'viewer');
    await page.goto(`/artifacts/plans/${executedPlanId}`);
    const summary = page.locator('#summary');
    await expect(summary.getByText('Freed', { exact: true })).toBeVisible();
    await expect(summary.getByText('Deleted', { exact: true })).toBeVisible();
    await expect(summary).toContainText('planned 21 of');
    await expect(summary).toContainText('planned → ');
    // No future tense once it has run.
    await expect(summary.getByText('Files to delete')).toHaveCount(0);
    await expect(summary.getByText('Frees', { exact: true })).toHaveCount(0);
    await expect(page.getByRole('columnheader', { name: 'Planned to free' }).first()).toBeVisible();

    await page.goto(`/artifacts/${root.id}`);
    const row = page.getByRole('table', { name: 'Recent plans' }).getByRole('row').filter({ has: page.locator(`a[href="/artifacts/plans/${executedPlanId}"]`) });
    await expect(row).toContainText('freed');
    await expect(row).toContainText(`planned ${plan.totals.filesToDelete}`);
    const run = page.getByRole('table', { name: 'Rotation runs on this server' }).getByRole('row').nth(1);
    await expect(run).toContainText('planned');
    await expect(page.getByText(/^1 of 1 runs$/)).toBeVisible();
  });
});
