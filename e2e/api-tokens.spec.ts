// Token authentication on API routes, attacker-style: missing, malformed, wrong, revoked, wrong scope.
import { expect, test } from '@playwright/test';
import { auditFacts, auditRows, fixtures } from './fixtures';

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
    const rows = await auditRows(request, { outcome: 'denied', action: 'audit.read', actor: 'token:e2e-ingest' });
    expect(auditFacts(rows)).toEqual([{ action: 'audit.read', outcome: 'denied', actorLabel: 'token:e2e-ingest', summary: 'Refused: audit.read needs the "read" scope' }]);
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
    const planId = '00000000-0000-0000-0000-000000000000';
    const gets = ['/api/v1/whoami', '/api/v1/audit', '/api/v1/artifacts/roots', `/api/v1/artifacts/plans/${planId}`, `/api/v1/artifacts/plans/${planId}/entries`, '/metrics'];
    for (const path of gets) expect((await request.get(path)).status(), path).toBe(401);
    const posts = [`/api/v1/artifacts/roots/${fixtures().root.id}/preview`, `/api/v1/artifacts/plans/${planId}/approve`, `/api/v1/artifacts/plans/${planId}/execute`, '/api/v1/rotation-runs'];
    for (const path of posts) expect((await request.post(path, { data: {} })).status(), path).toBe(401);
  });

  test('/metrics needs a read token and exposes the root figures', async ({ request }) => {
    expect((await request.get('/metrics', { headers: bearer(fixtures().tokens.ingest.secret) })).status()).toBe(403);
    const res = await request.get('/metrics', { headers: bearer(fixtures().tokens.read.secret) });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE steward_artifact_root_size_bytes gauge');
    expect(text).toMatch(/steward_artifact_root_cap_bytes\{root="e2e-root"\} 10485760/);
    expect(text).toMatch(/steward_rotation_failures_total\{root="e2e-root"\} \d+/);
  });

  test('an ingest token can report a rotation run; bad bodies name the field', async ({ request }) => {
    const record = { timestamp: '2026-11-01T00:00:00Z', rotation: { deleted: 3, kept: 10 }, compression: { compressed: 1, total_reduction_kb: 12.5 }, disk_usage: { size_mb: 40.5, within_limit: true } };
    const ok = await request.post('/api/v1/rotation-runs', { headers: bearer(fixtures().tokens.ingest.secret), data: { host: 'ci-runner-7', path: '/builds/artifacts', record } });
    expect(ok.status()).toBe(201);
    expect((await ok.json()).id).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await request.post('/api/v1/rotation-runs', { headers: bearer(fixtures().tokens.ingest.secret), data: { host: 'ci-runner-7', path: '/builds/artifacts', record: { ...record, rotation: { deleted: -1, kept: 10 } } } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.details[0].field).toBe('record.rotation.deleted');
    // A read-only token may not ingest.
    expect((await request.post('/api/v1/rotation-runs', { headers: bearer(fixtures().tokens.read.secret), data: { host: 'x', path: '/x', record } })).status()).toBe(403);
  });
});
