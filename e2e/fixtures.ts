import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export interface Fixtures {
  users: Record<'admin' | 'operator' | 'viewer', { email: string; password: string }>;
  tokens: Record<'read' | 'ingest' | 'revoked', { id: string; secret: string }>;
  root: { id: string; path: string; files: Record<string, number> };
}

export function fixtures(): Fixtures {
  return JSON.parse(fs.readFileSync(path.join(process.cwd(), '.e2e', 'seeded', 'fixtures.json'), 'utf8')) as Fixtures;
}

export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function loginAs(page: Page, role: keyof Fixtures['users']): Promise<void> {
  const u = fixtures().users[role];
  await login(page, u.email, u.password);
}

/** Reads audit rows through the API with the seeded read token. */
export async function auditRows(request: APIRequestContext, query: Record<string, string>): Promise<{ action: string; outcome: string; actorLabel: string; summary: string }[]> {
  const res = await request.get('/api/v1/audit', { params: { pageSize: '200', ...query }, headers: { authorization: `Bearer ${fixtures().tokens.read.secret}` } });
  expect(res.status()).toBe(200);
  return (await res.json()).rows;
}

/**
 * The ActionResult a server action returned, from its raw RSC response (lines "<id>:<json>"):
 * the one JSON row that has an `ok` key. Fails the test when there is none.
 */
export function actionResult(rsc: string): { ok: boolean; data?: unknown; error?: { code: string; message: string } } {
  for (const line of rsc.split('\n')) {
    const m = /^[0-9a-f]+:(\{.*\})$/.exec(line);
    if (!m) continue;
    const v = JSON.parse(m[1]!) as Record<string, unknown>;
    if ('ok' in v) return v as ReturnType<typeof actionResult>;
  }
  throw new Error(`no action result in the response: ${rsc.slice(0, 300)}`);
}

/** The fields of audit rows that identify them (ids and times differ between runs). */
export const auditFacts = (rows: { action: string; outcome: string; actorLabel: string; summary: string }[]) => rows.map(({ action, outcome, actorLabel, summary }) => ({ action, outcome, actorLabel, summary }));

/**
 * The server-action id a click would call, captured without letting the request through (to
 * replay it as another user). Installs a route on `page` that aborts the first action POST.
 */
export async function captureActionId(page: Page, click: () => Promise<void>): Promise<string> {
  let actionId = '';
  await page.route('**/*', async (route) => {
    const h = route.request().headers();
    if (route.request().method() === 'POST' && h['next-action']) {
      actionId = h['next-action'];
      await route.abort();
    } else await route.continue();
  });
  await click();
  await expect.poll(() => actionId).not.toBe('');
  return actionId;
}
