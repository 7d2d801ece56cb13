// Field-test findings (issue 8), tested like an attacker: open redirects after sign-in, forged
// client addresses, cross-site requests with a session cookie, inputs that used to be 500s,
// security headers and the CSP, body limits, and the JSON envelope for unknown paths and methods.
import { expect, test, type Page } from '@playwright/test';
import { auditRows, fixtures, loginAs } from './fixtures';
import { send, startServer, type OwnServer } from './security-server';

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

function ownOrigin(page: Page): string {
  return new URL(page.url()).origin;
}

test.describe('sign-in redirects stay on this site', () => {
  const tricks = ['%2F.%2F%2Fevil.example', '%2F..%2F%2Fevil.example', '%2F%252e%2F%2Fevil.example', '%2F%5Cevil.example', 'https%3A%2F%2Fevil.example'];

  test('a signed-in user is never sent to another site', async ({ page }) => {
    await loginAs(page, 'viewer');
    const origin = ownOrigin(page);
    for (const next of tricks) {
      await page.goto(`/login?next=${next}`);
      expect(new URL(page.url()).origin, next).toBe(origin);
      expect(new URL(page.url()).pathname, next).toBe('/');
    }
  });

  test('signing in from a crafted link lands on this site', async ({ page }) => {
    await page.goto(`/login?next=${tricks[0]}`);
    const origin = ownOrigin(page);
    const { email, password } = fixtures().users.viewer;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await expect(page).not.toHaveURL(/\/login/);
    expect(new URL(page.url()).origin).toBe(origin);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  test('a signed-out deep link survives signing in', async ({ page }) => {
    await page.goto('/audit?outcome=denied');
    await expect(page).toHaveURL(/\/login\?next=%2Faudit%3Foutcome%3Ddenied$/);
    const { email, password } = fixtures().users.viewer;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await expect(page).toHaveURL(/\/audit\?outcome=denied$/);
  });
});

test.describe('cookie-authenticated API calls refuse cross-site requests', () => {
  test('approve and execute need our Origin and a JSON body', async ({ page, baseURL }) => {
    await loginAs(page, 'operator');
    const plan = '00000000-0000-0000-0000-000000000000';
    for (const action of ['approve', 'execute']) {
      const url = `/api/v1/artifacts/plans/${plan}/${action}`;
      const evil = await page.request.post(url, { headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, data: '{}' });
      expect(evil.status(), url).toBe(403);
      expect((await evil.json()).error.message).toContain('Cross-site');
      const sibling = new URL(baseURL!);
      sibling.port = String(Number(sibling.port) + 1);
      const form = await page.request.post(url, { headers: { origin: sibling.origin, 'content-type': 'text/plain' }, data: 'x' });
      expect(form.status(), url).toBe(403);
      const plain = await page.request.post(url, { headers: { origin: new URL(baseURL!).origin, 'content-type': 'text/plain' }, data: 'x' });
      expect(plain.status(), url).toBe(415);
      const noOrigin = await page.request.post(url, { headers: { 'content-type': 'application/json' }, data: '{}' });
      expect(noOrigin.status(), url).toBe(403);
      // From our own page the call goes through (and finds no such plan).
      const ok = await page.request.post(url, { headers: { origin: new URL(baseURL!).origin, 'content-type': 'application/json' }, data: '{}' });
      expect(ok.status(), url).toBe(404);
    }
  });

  test('bearer-token calls need no Origin', async ({ request }) => {
    const res = await request.get('/api/v1/whoami', { headers: bearer(fixtures().tokens.read.secret) });
    expect(res.status()).toBe(200);
    const bad = await request.post('/api/v1/rotation-runs', { headers: { ...bearer(fixtures().tokens.ingest.secret), 'content-type': 'text/plain' }, data: '{}' });
    expect(bad.status()).toBe(400); // validated, not refused as cross-site
  });

  test('the audit log records the connection address, not a forged X-Forwarded-For', async ({ page, request, baseURL }) => {
    await loginAs(page, 'viewer');
    const res = await page.request.post(`/api/v1/artifacts/roots/${fixtures().root.id}/preview`, {
      headers: { origin: new URL(baseURL!).origin, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.66', 'x-real-ip': '203.0.113.67' },
      data: '{}',
    });
    expect(res.status()).toBe(403);
    const rows = (await auditRows(request, { outcome: 'denied', action: 'retention.preview' })) as unknown as { actorLabel: string; origin: string | null }[];
    const mine = rows.filter((r) => r.actorLabel === fixtures().users.viewer.email);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]!.origin).toBe('127.0.0.1');
  });
});

test.describe('bad input is a 400 naming the field, never a 500', () => {
  const ingest = () => bearer(fixtures().tokens.ingest.secret);
  const record = { timestamp: new Date().toISOString(), rotation: { deleted: 1, kept: 1 }, compression: { compressed: 0, total_reduction_kb: 0 }, disk_usage: { size_mb: 1, within_limit: true } };

  test('a NUL byte in a body string or a path parameter', async ({ request }) => {
    const nul = await request.post('/api/v1/rotation-runs', { headers: ingest(), data: { host: 'ci\u0000runner', path: '/builds', record } });
    expect(nul.status()).toBe(400);
    expect((await nul.json()).error.details[0].field).toBe('host');
    const param = await request.get('/api/v1/artifacts/plans/a%00b', { headers: bearer(fixtures().tokens.read.secret) });
    expect(param.status()).toBe(400);
    expect((await param.json()).error.details[0].field).toBe('planId');
    const query = await request.get('/api/v1/audit?actor=a%00b', { headers: bearer(fixtures().tokens.read.secret) });
    expect(query.status()).toBe(400);
    expect((await query.json()).error.details[0].field).toBe('actor');
  });

  test('numbers beyond what a column holds', async ({ request }) => {
    const res = await request.post('/api/v1/rotation-runs', { headers: ingest(), data: { host: 'ci', path: '/builds', record: { ...record, disk_usage: { size_mb: 1, within_limit: true, bytes_freed: 1e20 } } } });
    expect(res.status()).toBe(400);
    expect((await res.json()).error.details[0].field).toBe('record.disk_usage.bytes_freed');
  });

  test('dates out of range', async ({ request }) => {
    for (const from of ['-271821-04-20', '+275760-09-13']) {
      const res = await request.get(`/api/v1/audit?from=${encodeURIComponent(from)}`, { headers: bearer(fixtures().tokens.read.secret) });
      expect(res.status(), from).toBe(400);
      expect((await res.json()).error.details[0].field).toBe('from');
    }
  });
});

test.describe('the API always answers with the JSON envelope', () => {
  test('unknown paths are 404, wrong methods 405 with Allow, a missing plan\'s entries 404', async ({ request }) => {
    const read = bearer(fixtures().tokens.read.secret);
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await request.fetch('/api/v1/no/such/endpoint', { method, headers: read });
      expect(res.status(), method).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
    const wrong = await request.delete('/api/v1/whoami', { headers: read });
    expect(wrong.status()).toBe(405);
    expect(wrong.headers()['allow']).toBe('GET, HEAD, OPTIONS');
    expect((await wrong.json()).error.code).toBe('method_not_allowed');
    const get = await request.get(`/api/v1/artifacts/plans/x/approve`, { headers: read });
    expect(get.status()).toBe(405);
    expect(get.headers()['allow']).toBe('POST, OPTIONS');
    const entries = await request.get('/api/v1/artifacts/plans/00000000-0000-0000-0000-000000000000/entries', { headers: read });
    expect(entries.status()).toBe(404);
    expect((await entries.json()).error.code).toBe('not_found');
  });

  test('health reports only the documented fields', async ({ request }) => {
    const body = await (await request.get('/api/health')).json();
    expect(Object.keys(body).sort()).toEqual(['database', 'scanner', 'status']);
    expect(Object.keys(body.database).sort()).toEqual(['kind', 'latencyMs', 'ok']);
  });
});

test.describe('body limits', () => {
  test('an anonymous oversized body to /api/auth is refused with 413', async ({ request }) => {
    const res = await request.post('/api/auth/sign-in/email', { headers: { 'content-type': 'application/json' }, data: Buffer.alloc(2 * 1024 * 1024, 0x20) });
    expect(res.status()).toBe(413);
  });

  test('a server action body over its limit is a 413, not a 500', async ({ page }) => {
    // A real action id (Next answers an unknown one with 404 before reading the body).
    await loginAs(page, 'admin');
    await page.goto('/settings');
    const form = page.getByRole('form', { name: 'Add user' });
    await form.getByLabel('Name').fill('Limit probe');
    await form.getByLabel('Email').fill(`limit-probe-${Date.now()}@e2e.test`);
    await form.getByLabel('Password', { exact: true }).fill('limit-probe-pass-1');
    const [captured] = await Promise.all([page.waitForRequest((r) => r.method() === 'POST' && Boolean(r.headers()['next-action'])), form.getByRole('button', { name: 'Add user' }).click()]);
    const actionId = captured.headers()['next-action']!;
    const res = await page.request.post('/settings', {
      headers: { 'next-action': actionId, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8', origin: new URL(page.url()).origin },
      data: Buffer.alloc(2 * 1024 * 1024, 0x20),
    });
    expect(res.status()).toBe(413);
  });
});

test.describe('security headers and the Content-Security-Policy', () => {
  test('pages and API responses carry them; no HSTS over plain http', async ({ request }) => {
    const page = await request.get('/login');
    const h = page.headers();
    expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('same-origin');
    expect(h['strict-transport-security']).toBeUndefined();
    const api = (await request.get('/api/health')).headers();
    expect(api['x-content-type-options']).toBe('nosniff');
    expect(api['content-security-policy']).toContain("frame-ancestors 'none'");
    // The public ping endpoint (outside proxy.ts) gets the API's policy too, whatever it answers.
    const ping = await request.get('/ping/not-a-check');
    expect(ping.status()).toBe(400);
    expect(ping.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(ping.headers()['x-content-type-options']).toBe('nosniff');
    // That ping was answered in front of Next's router (lib/server/ping-fast-path.ts); the same one
    // percent-encoded goes through Next's route handler. Both carry every security header.
    const viaNext = await request.get('/ping/not%2Da-check');
    expect([viaNext.status(), await viaNext.text()]).toEqual([400, await ping.text()]);
    for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy', 'permissions-policy', 'ping-body-limit', 'access-control-allow-origin', 'cache-control', 'content-type']) {
      expect(ping.headers()[name], name).toBeTruthy();
      expect(ping.headers()[name], name).toBe(viaNext.headers()[name]);
    }
    expect(ping.headers()['vary']).toBeUndefined(); // Next's RSC Vary: the fast path answered
    expect(viaNext.headers()['vary']).toContain('rsc');
    // Healthchecks' URL with a trailing slash is a ping, not Next's 308 to the URL without it
    // (which `curl -fsS` does not follow, exiting 0 with the ping lost).
    const slash = await request.get(`/ping/${crypto.randomUUID()}/`, { maxRedirects: 0 });
    expect([slash.status(), await slash.text()]).toEqual([404, 'not found']);
    // A fresh nonce for every response.
    const again = (await request.get('/login')).headers()['content-security-policy'];
    expect(again).not.toBe(h['content-security-policy']);
  });

  test('every page works under the CSP with no violation', async ({ page, baseURL }) => {
    test.setTimeout(240_000); // a dozen full page loads; slow on a loaded CI machine
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|CSP/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
    });
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
    await page.goto('/login');
    await loginAs(page, 'operator');
    const { root } = fixtures();
    const preview = await page.request.post(`/api/v1/artifacts/roots/${root.id}/preview`, { headers: { origin: new URL(baseURL!).origin, 'content-type': 'application/json' }, data: '{}' });
    expect(preview.status()).toBe(201);
    const plan = (await preview.json()) as { id: string };
    for (const path of ['/', '/artifacts', `/artifacts/${root.id}`, `/artifacts/plans/${plan.id}`, '/audit', '/cron', '/flaky', '/health', '/performance', '/settings', '/no-such-page']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
    }
    // Client-side navigation and a client component that validates as you type.
    await page.goto(`/artifacts/${root.id}`);
    await page.getByRole('link', { name: /audit/i }).first().click();
    await expect(page).toHaveURL(/\/audit/);
    expect(violations).toEqual([]);
  });
});

test.describe('sign-in rate limit per real client address (own server: 5 a minute, https public URL)', () => {
  let server: OwnServer;
  const admin = { email: 'limit-admin@e2e.test', password: 'limit-admin-pass-1' };
  const publicOrigin = 'https://steward.e2e.test';

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const port = Number(process.env.E2E_PORT_BASE ?? 3100) + 2;
    server = await startServer(port, {
      STEWARD_ADMIN_EMAIL: admin.email,
      STEWARD_ADMIN_PASSWORD: admin.password,
      STEWARD_LOGIN_MAX_ATTEMPTS: '5',
      STEWARD_LOGIN_WINDOW_SECONDS: '300',
      STEWARD_BASE_URL: publicOrigin,
    });
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  const signIn = (password: string, opts: { xff?: string; localAddress?: string; origin?: string } = {}) =>
    send(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      localAddress: opts.localAddress,
      headers: { 'content-type': 'application/json', origin: opts.origin ?? publicOrigin, ...(opts.xff ? { 'x-forwarded-for': opts.xff } : {}) },
      body: JSON.stringify({ email: admin.email, password }),
    });

  test('60 wrong passwords with a new forged X-Forwarded-For each are limited, and then so is the right one', async () => {
    test.setTimeout(120_000);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await signIn('wrong-password-1', { xff: `198.51.100.${i + 1}`, localAddress: '127.0.0.2' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect((await signIn(admin.password, { xff: '192.0.2.200', localAddress: '127.0.0.2' })).status).toBe(429);
  });

  test('malformed or multi-address headers do not put everyone into one bucket', async () => {
    for (let i = 0; i < 6; i++) await signIn('wrong-password-1', { xff: '1.1.1.1, 2.2.2.2', localAddress: '127.0.0.3' });
    for (let i = 0; i < 6; i++) await signIn('wrong-password-1', { xff: 'garbage', localAddress: '127.0.0.3' });
    // Another client sending the same kind of header is not locked out by them.
    const other = await signIn(admin.password, { xff: '1.1.1.1, 2.2.2.2', localAddress: '127.0.0.4' });
    expect(other.status).toBe(200);
    // With an https public URL the session cookie is Secure, and pages send HSTS.
    expect(String(other.headers['set-cookie'])).toMatch(/Secure/i);
    const login = await send(`${server.url}/login`);
    expect(login.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(login.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  test('with a public URL, only its origin is trusted, whatever Host says', async () => {
    const res = await signIn(admin.password, { localAddress: '127.0.0.5', origin: `http://127.0.0.1:${new URL(server.url).port}` });
    expect(res.status).toBe(403);
  });
});

test('a LAN install over plain http gets a cookie without Secure', async ({ request }) => {
  const { email, password } = fixtures().users.viewer;
  const res = await request.post('/api/auth/sign-in/email', { headers: { 'content-type': 'application/json', origin: new URL(test.info().project.use.baseURL!).origin }, data: { email, password } });
  expect(res.status()).toBe(200);
  const cookie = res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value).join('\n');
  expect(cookie).toContain('session_token');
  expect(cookie).not.toMatch(/;\s*Secure/i);
});

