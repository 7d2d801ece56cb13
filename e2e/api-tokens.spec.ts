// Token authentication on API routes, attacker-style: missing, malformed, wrong, revoked, wrong scope.
import { expect, test } from '@playwright/test';
import { auditRows, fixtures } from './fixtures';

const bearer = (s: string) => ({ authorization: `Bearer ${s}` });

test.describe('API token auth', () => {
  test('a read token is accepted and identified', async ({ request }) => {
    const res = await request.get('/api/v1/whoami', { headers: bearer(fixtures().tokens.read.secret) });
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ type: 'token', name: 'e2e-read', scopes: ['read'] });
  });

  test('no credentials → 401 with the error envelope', async ({ request }) => {
    const res = await request.get('/api/v1/audit');
    expect(res.status()).toBe(401);
    const body = await res.json();
    expect(body.error.code).toBe('unauthenticated');
    expect(typeof body.error.message).toBe('string');
  });

  test('malformed header and unknown token → 401', async ({ request }) => {
    expect((await request.get('/api/v1/whoami', { headers: { authorization: 'Token abc' } })).status()).toBe(401);
    expect((await request.get('/api/v1/whoami', { headers: bearer('stw_' + 'A'.repeat(32)) })).status()).toBe(401);
    // A real token with one character changed is just as unknown.
    const s = fixtures().tokens.read.secret;
    const tampered = s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    expect((await request.get('/api/v1/whoami', { headers: bearer(tampered) })).status()).toBe(401);
  });

  test('a revoked token → 401 saying it is revoked', async ({ request }) => {
    const res = await request.get('/api/v1/whoami', { headers: bearer(fixtures().tokens.revoked.secret) });
    expect(res.status()).toBe(401);
    expect((await res.json()).error.message).toMatch(/revoked/i);
  });

  test('an ingest-only token cannot read → 403, and the refusal is audited', async ({ request }) => {
    const res = await request.get('/api/v1/audit', { headers: bearer(fixtures().tokens.ingest.secret) });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    const rows = await auditRows(request, { outcome: 'denied', actor: 'e2e-ingest' });
    expect(rows.some((r) => r.action === 'audit.read' && r.actorLabel === 'token:e2e-ingest')).toBe(true);
  });

  test('invalid query parameters name the field', async ({ request }) => {
    const res = await request.get('/api/v1/audit', { params: { pageSize: '100000' }, headers: bearer(fixtures().tokens.read.secret) });
    expect(res.status()).toBe(400);
    const body = await res.json();
    expect(body.error.details[0].field).toBe('pageSize');
  });
});

test.describe('public endpoints', () => {
  test('health is public and reports the embedded database', async ({ request }) => {
    const res = await request.get('/api/health');
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ok');
    expect(body.database).toMatchObject({ ok: true, kind: 'embedded' });
  });

  test('every other API route refuses anonymous calls', async ({ request }) => {
    for (const path of ['/api/v1/whoami', '/api/v1/audit']) {
      expect((await request.get(path)).status(), path).toBe(401);
    }
  });
});
