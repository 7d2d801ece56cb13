/**
 * The cron API routes called by an attacker and by their users, in-process against a real
 * database and real sessions: anonymous refused on /api/v1/checks, a viewer reads but cannot
 * create, a read token cannot write, an ingest token and an operator can; validation names the
 * field; pause/resume/delete; ping keys are admins' only; the list orders down and late first and
 * pages by keyset; sentinel reports (ingest token only) create and observe freshness checks; and
 * /metrics carries the cron gauges.
 */
process.env.STEWARD_NOTIFY_ALLOW_PRIVATE = '1';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { BASE, prepareEnv, send, type Harness } from './authz-harness';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

prepareEnv();
const { startHarness } = await import('./authz-harness');
const checks = await import('@/app/api/v1/checks/route');
const check = await import('@/app/api/v1/checks/[id]/route');
const pause = await import('@/app/api/v1/checks/[id]/pause/route');
const resume = await import('@/app/api/v1/checks/[id]/resume/route');
const pingKeys = await import('@/app/api/v1/ping-keys/route');
const pingKey = await import('@/app/api/v1/ping-keys/[id]/route');
const sentinel = await import('@/app/api/v1/sentinel-reports/route');
const ping = await import('@/app/ping/[...path]/route');
const cron = await import('@/lib/services/cron');
const { allMetricsText } = await import('@/lib/services/metrics-all');

let x: Harness;
const cli: Actor = { type: 'cli', id: null, label: 'cli:cron-api', origin: 'cli' };
const json = { 'content-type': 'application/json' };
const bearer = (t: keyof Harness['tokens']) => ({ authorization: `Bearer ${x.tokens[t]}`, ...json });
const cookie = (role: keyof Harness['users']) => ({ cookie: x.users[role].cookie, origin: BASE, ...json });
const body = (over: Record<string, unknown> = {}) => JSON.stringify({ name: 'db-backup', type: 'ping', tags: ['prod', 'db'], schedule: { kind: 'cron', expression: '15 5 * * *', timezone: 'Europe/Riga', graceSeconds: 3600 }, ...over });
const create = (headers: Record<string, string>, b = body()) => send(checks.POST, { method: 'POST', path: '/api/v1/checks', headers, body: b });
const list = (headers: Record<string, string>, q = '') => send(checks.GET, { method: 'GET', path: `/api/v1/checks${q}`, headers });
const one = (method: 'GET' | 'PUT' | 'PATCH' | 'DELETE', id: string, headers: Record<string, string>, b?: string) =>
  send(check[method], { method, path: `/api/v1/checks/${id}`, headers, body: b, params: { id } });

beforeAll(async () => {
  x = await startHarness();
});
afterAll(async () => {
  await x?.close();
});

describe('POST /api/v1/checks', () => {
  it('anonymous 401, viewer 403, read token 403, cross-site session 403; nothing stored; operator session and ingest token 201', async () => {
    expect((await create(json)).status).toBe(401);
    expect((await create(cookie('viewer'))).status).toBe(403);
    const read = await create(bearer('read'));
    expect([read.status, read.body.error?.message]).toEqual([403, 'This endpoint needs the "ingest" scope.']);
    expect((await create({ ...cookie('operator'), origin: 'https://evil.example' })).status).toBe(403);
    expect(await x.h.db.cronCheck.count()).toBe(0);
    expect(await x.h.db.auditEvent.count({ where: { action: 'cron.check.create', outcome: 'denied' } })).toBeGreaterThanOrEqual(2);
    const op = await create(cookie('operator'));
    expect(op.status).toBe(201);
    expect(op.body).toMatchObject({ name: 'db-backup', state: 'new', scheduleText: 'cron `15 5 * * *` in Europe/Riga, grace 1h', tags: ['db', 'prod'] });
    expect((op.body as { nextTimes: string[] }).nextTimes).toHaveLength(5);
    const tok = await create(bearer('ingest'), body({ name: 'token-made', schedule: { kind: 'period', periodSeconds: 300, graceSeconds: 60 } }));
    expect([tok.status, tok.body.error?.message]).toEqual([201, undefined]);
    const audit = await x.h.db.auditEvent.findMany({ where: { action: 'cron.check.create', outcome: 'ok' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.actorLabel)).toEqual([x.users.operator.email, 'token:ingest']);
  });

  it('a revoked token is 401 on every checks route; a forged X-Forwarded-For is not the audited origin; nothing changes', async () => {
    const before = await x.h.db.cronCheck.findMany({ orderBy: { id: 'asc' } });
    const revoked = bearer('revoked');
    expect((await create(revoked, body({ name: 'by-revoked' }))).status).toBe(401);
    expect((await list(revoked)).status).toBe(401);
    const id = before[0]!.id;
    for (const m of ['GET', 'PATCH', 'DELETE'] as const) expect((await one(m, id, revoked, m === 'PATCH' ? body({ name: 'renamed' }) : undefined)).status, m).toBe(401);
    const forged = await create({ ...bearer('read'), 'x-forwarded-for': '203.0.113.250' }, body({ name: 'forged' }));
    expect(forged.status).toBe(403);
    const denied = await x.h.db.auditEvent.findFirstOrThrow({ where: { action: 'cron.check.create', outcome: 'denied', actorLabel: 'token:read' }, orderBy: { id: 'desc' } });
    expect(denied.origin).not.toBe('203.0.113.250');
    expect(await x.h.db.cronCheck.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it.each([
    [{ name: '' }, 'name', 'is required'],
    [{ name: 'a\u0007b' }, 'name', 'must not contain control characters'],
    [{ type: 'http' }, 'type', 'must be "ping" or "freshness"'],
    [{ schedule: { kind: 'cron', expression: '61 * * * *', timezone: 'UTC', graceSeconds: 60 } }, 'schedule.expression', expect.any(String)],
    [{ schedule: { kind: 'cron', expression: '0 5 * * *', timezone: 'Mars/Olympus', graceSeconds: 60 } }, 'schedule.timezone', expect.stringMatching(/not an IANA time zone/)],
    [{ schedule: { kind: 'period', periodSeconds: 30, graceSeconds: 60 } }, 'schedule.periodSeconds', expect.stringMatching(/at least 60/)],
    [{ slug: 'Has Space' }, 'slug', expect.stringMatching(/lowercase/)],
    [{ slug: 'ok-slug' }, 'pingKeyId', expect.stringMatching(/required with a slug/)],
    [{ minRuntimeSeconds: 600, maxRuntimeSeconds: 60 }, 'minRuntimeSeconds', 'must be less than the maximum runtime'],
    [{ maintenance: [{ start: '2026-12-06T10:00:00Z', end: '2026-12-06T09:00:00Z' }] }, 'maintenance[0].end', 'must be after the start'],
    [{ type: 'freshness' }, 'artifactPath', 'is required for a freshness check'],
    [{ failureThreshold: 0 }, 'failureThreshold', 'must be at least 1'],
    [{ extra: 1 }, '(root)', expect.any(String)],
  ])('refuses %j naming %s', async (over, field, message) => {
    const before = await x.h.db.cronCheck.count();
    const r = await create(cookie('operator'), body({ name: 'bad', ...over }));
    expect(r.status).toBe(400);
    expect(r.body.error?.details).toContainEqual({ field, message });
    expect(await x.h.db.cronCheck.count()).toBe(before);
  });

  it('a name already used is 409 naming the field', async () => {
    const r = await create(cookie('operator'));
    expect([r.status, r.body.error?.details?.[0]?.field]).toEqual([409, 'name']);
  });
});

describe('GET, PUT, pause, resume, DELETE /api/v1/checks/:id', () => {
  it('viewer reads; a viewer cannot edit, pause or delete; an operator can; everything audited', async () => {
    const id = (await x.h.db.cronCheck.findUniqueOrThrow({ where: { name: 'db-backup' } })).id;
    expect((await one('GET', id, {})).status).toBe(401);
    const got = await one('GET', id, { cookie: x.users.viewer.cookie });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, pings: [], runs: [], flips: [] });
    expect((await one('GET', id, bearer('read'))).status).toBe(200);
    expect((await one('GET', 'nope', bearer('read'))).status).toBe(404);
    expect((await one('PUT', id, cookie('viewer'), body({ name: 'renamed' }))).status).toBe(403);
    expect((await one('PUT', id, bearer('read'), body({ name: 'renamed' }))).status).toBe(403);
    const put = await one('PUT', id, cookie('operator'), body({ name: 'db-backup', schedule: { kind: 'period', periodSeconds: 86_400, graceSeconds: 3_600 }, maxRuntimeSeconds: 1800 }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ scheduleText: 'every 1d, grace 1h', maxRuntimeSeconds: 1800 });
    expect((await one('PATCH', id, cookie('operator'), body({ type: 'freshness', artifactPath: 'a', maxAgeSeconds: 60 }))).body.error?.details?.[0]?.field).toBe('type');
    const p = (h: Record<string, string>) => send(pause.POST, { method: 'POST', path: `/api/v1/checks/${id}/pause`, headers: h, params: { id } });
    const r = (h: Record<string, string>) => send(resume.POST, { method: 'POST', path: `/api/v1/checks/${id}/resume`, headers: h, params: { id } });
    expect((await p(cookie('viewer'))).status).toBe(403);
    expect((await p(cookie('operator'))).body).toMatchObject({ state: 'paused', paused: true });
    expect((await r(bearer('ingest'))).body).toMatchObject({ state: 'new', paused: false });
    expect((await send(pause.GET, { method: 'GET', path: `/api/v1/checks/${id}/pause`, params: { id } })).status).toBe(405);
    expect((await one('DELETE', id, cookie('viewer'))).status).toBe(403);
    expect((await one('DELETE', id, cookie('operator'))).status).toBe(204);
    expect((await one('GET', id, bearer('read'))).status).toBe(404);
    const actions = (await x.h.db.auditEvent.findMany({ where: { targetId: id, outcome: 'ok' }, orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['cron.check.create', 'cron.check.update', 'cron.check.pause', 'cron.check.resume', 'cron.check.delete']);
  });
});

describe('GET /api/v1/checks', () => {
  it('anonymous 401, ingest-only token 403; down and late first, then by name; keyset pages; counts and tags; filters', async () => {
    expect((await list({})).status).toBe(401);
    expect((await list(bearer('ingest'))).status).toBe(403);
    const now = new Date();
    for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) await cron.createCheck(x.h.db, cli, { name, type: 'ping', tags: name === 'echo' ? ['nightly'] : [], schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 600 } }, now);
    // echo went down two hours ago, delta is late.
    const ago = (ms: number) => new Date(now.getTime() - ms);
    await x.h.db.cronCheck.update({ where: { name: 'echo' }, data: { lastFinishAt: ago(3 * 3_600_000), state: 'down' } });
    await x.h.db.cronCheck.update({ where: { name: 'delta' }, data: { lastFinishAt: ago(3_600_000 + 60_000), state: 'late' } });
    const all = await list(bearer('read'));
    const names = (all.body as { checks: { name: string }[] }).checks.map((c) => c.name);
    expect(names.slice(0, 2)).toEqual(['echo', 'delta']);
    expect(all.body).toMatchObject({ counts: { down: 1, late: 1 }, tags: expect.arrayContaining(['nightly']) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await list(bearer('read'), `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body as { checks: { name: string }[]; nextCursor: string | null };
      seen.push(...page.checks.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(names);
    const byTag = await list(bearer('read'), '?tag=nightly');
    expect((byTag.body as { checks: { name: string }[] }).checks.map((c) => c.name)).toEqual(['echo']);
    const down = await list(bearer('read'), '?state=down');
    expect((down.body as { checks: { name: string; state: string }[] }).checks.map((c) => [c.name, c.state])).toEqual([['echo', 'down']]);
    const search = await list(bearer('read'), '?search=harl');
    expect((search.body as { checks: { name: string }[] }).checks.map((c) => c.name)).toEqual(['charlie']);
    expect((await list(bearer('read'), '?state=bogus')).status).toBe(400);
    expect((await list(bearer('read'), '?cursor=garbage')).status).toBe(400);
    expect((await list(bearer('read'), '?limit=9999')).status).toBe(400);
    expect((await list(bearer('read'), '?evil=1')).status).toBe(400);
  });
});

describe('ping keys', () => {
  it('admins create and delete (201/204); operators and tokens cannot; operators list, viewers and read tokens never see a key (it creates checks); the key pings', async () => {
    const post = (h: Record<string, string>, name = 'ci') => send(pingKeys.POST, { method: 'POST', path: '/api/v1/ping-keys', headers: h, body: JSON.stringify({ name }) });
    expect((await post(json)).status).toBe(401);
    expect((await post(cookie('operator'))).status).toBe(403);
    expect((await post(bearer('ingest'))).status).toBe(403);
    const made = await post(cookie('admin'));
    expect(made.status).toBe(201);
    const key = made.body as unknown as { id: string; key: string; name: string };
    expect(key.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await post(cookie('admin'))).status).toBe(409);
    const list = (h: Record<string, string>) => send(pingKeys.GET, { method: 'GET', path: '/api/v1/ping-keys', headers: h });
    const asViewer = await list({ cookie: x.users.viewer.cookie });
    expect([asViewer.status, asViewer.text.includes(key.key)]).toEqual([403, false]);
    const asRead = await list({ authorization: `Bearer ${x.tokens.read}` });
    expect([asRead.status, asRead.text.includes(key.key)]).toEqual([403, false]);
    const listed = await list({ cookie: x.users.operator.cookie });
    expect((listed.body as { pingKeys: { name: string; key: string }[] }).pingKeys.map((k) => [k.name, k.key])).toEqual([['ci', key.key]]);
    const res = await ping.GET(new Request(`${BASE}/ping/${key.key}/deploy?create=1`), { params: Promise.resolve({ path: [key.key, 'deploy'] }) });
    expect(res.status).toBe(201);
    const del = (h: Record<string, string>) => send(pingKey.DELETE, { method: 'DELETE', path: `/api/v1/ping-keys/${key.id}`, headers: h, params: { id: key.id } });
    expect((await del(cookie('operator'))).status).toBe(403);
    expect((await del(cookie('admin'))).status).toBe(204);
    const c = await x.h.db.cronCheck.findUniqueOrThrow({ where: { name: 'deploy' } });
    expect(c.pingKeyId).toBeNull();
    const byUuid = await ping.POST(new Request(`${BASE}/ping/${c.uuid}`, { method: 'POST' }), { params: Promise.resolve({ path: [c.uuid] }) });
    expect(byUuid.status).toBe(200);
  });
});

describe('POST /api/v1/sentinel-reports', () => {
  const report = (over: Record<string, unknown> = {}) => JSON.stringify({
    source: 'runner-1',
    results: [
      { name: 'nightly-report', artifact: 'reports/nightly_*.json', path: '/srv/reports/nightly_2026.json', status: 'fresh', mtime: new Date(Date.now() - 3_600_000).toISOString(), ageSeconds: 3600, maxAgeSeconds: 129_600, reason: 'modified 1h ago (max 36h)' },
      { name: 'backup-dump', artifact: 'backups/db.sql.gz', path: null, status: 'missing', mtime: null, ageSeconds: null, maxAgeSeconds: 86_400, reason: 'missing' },
      { name: 'clock-skewed', artifact: 'out/x.bin', path: '/srv/out/x.bin', status: 'future', mtime: new Date(Date.now() + 86_400_000).toISOString(), ageSeconds: -86_400, maxAgeSeconds: 3600, reason: 'in the future' },
    ],
    ...over,
  });
  const post = (h: Record<string, string>, b = report()) => send(sentinel.POST, { method: 'POST', path: '/api/v1/sentinel-reports', headers: h, body: b });

  it('ingest token only: anonymous 401, read token 403, any session 403; nothing stored', async () => {
    expect((await post(json)).status).toBe(401);
    expect((await post(bearer('read'))).status).toBe(403);
    const admin = await post(cookie('admin'));
    expect([admin.status, admin.body.error?.message]).toEqual([403, 'This endpoint needs an API token with the "ingest" scope.']);
    expect(await x.h.db.cronCheck.count({ where: { type: 'freshness' } })).toBe(0);
  });

  it('creates one freshness check per task, observed: fresh is up, missing and future are down with cron.down; a re-send updates', async () => {
    const { createChannel } = await import('@/lib/services/notifications/channels');
    const { createRule } = await import('@/lib/services/notifications/rules');
    const channel = await createChannel(x.h.db, cli, { type: 'webhook', name: 'sentinel-hook', url: 'http://127.0.0.1:9/s' });
    await createRule(x.h.db, cli, { channelId: channel.id, kinds: ['cron.down'] });
    const r = await post(bearer('ingest'));
    expect(r.status).toBe(200);
    expect((r.body as { checks: unknown[] }).checks).toEqual([
      { name: 'nightly-report', id: expect.any(String), created: true, state: 'up', freshness: 'fresh' },
      { name: 'backup-dump', id: expect.any(String), created: true, state: 'down', freshness: 'missing' },
      { name: 'clock-skewed', id: expect.any(String), created: true, state: 'down', freshness: 'future' },
    ]);
    const rows = await x.h.db.cronCheck.findMany({ where: { type: 'freshness' }, orderBy: { name: 'asc' } });
    expect(rows.map((c) => [c.name, c.source, c.artifactPath, c.maxAgeSeconds])).toEqual([
      ['backup-dump', 'runner-1', 'backups/db.sql.gz', 86_400], ['clock-skewed', 'runner-1', 'out/x.bin', 3600], ['nightly-report', 'runner-1', 'reports/nightly_*.json', 129_600],
    ]);
    const deliveries = await x.h.db.notificationDelivery.findMany({ where: { channelId: channel.id } });
    expect(deliveries.map((d) => d.kind)).toEqual(['cron.down', 'cron.down']);
    // The dump appears: up again (nothing routes cron.up to this channel), and the check is reused.
    const again = await post(bearer('ingest'), report({ results: [{ name: 'backup-dump', artifact: 'backups/db.sql.gz', path: '/srv/backups/db.sql.gz', status: 'fresh', mtime: new Date().toISOString(), ageSeconds: 5, maxAgeSeconds: 86_400, reason: 'ok' }] }));
    expect((again.body as { checks: { created: boolean; state: string }[] }).checks).toEqual([expect.objectContaining({ created: false, state: 'up' })]);
    expect(await x.h.db.cronCheck.count({ where: { type: 'freshness' } })).toBe(3);
    const flips = await x.h.db.cronFlip.findMany({ where: { check: { name: 'backup-dump' } }, orderBy: { id: 'asc' } });
    expect(flips.map((f) => `${f.from}>${f.to}`)).toEqual(['new>down', 'down>up']);
    expect((await x.h.db.auditEvent.findFirstOrThrow({ where: { action: 'cron.sentinel.report', outcome: 'ok' } })).summary).toMatch(/runner-1: 3 task\(s\), 2 not fresh; created/);
  });

  it('refuses a bad report naming the field; a task named like a ping check is a conflict', async () => {
    const bad = await post(bearer('ingest'), JSON.stringify({ results: [{ name: 'x', artifact: 'a', path: null, status: 'weird', mtime: null, ageSeconds: null, maxAgeSeconds: 60, reason: '' }] }));
    expect([bad.status, bad.body.error?.details?.[0]?.field]).toEqual([400, 'results[0].status']);
    expect((await post(bearer('ingest'), JSON.stringify({ results: [] }))).status).toBe(400);
    const clash = await post(bearer('ingest'), JSON.stringify({ results: [{ name: 'alpha', artifact: 'a', path: null, status: 'missing', mtime: null, ageSeconds: null, maxAgeSeconds: 60, reason: 'missing' }] }));
    expect([clash.status, clash.body.error?.details?.[0]?.field]).toEqual([409, 'results[0].name']);
  });
});

describe('/metrics', () => {
  it('has up, state, seconds since last ping and last duration per check (paused omitted from up)', async () => {
    const c = await x.h.db.cronCheck.findUniqueOrThrow({ where: { name: 'alpha' } });
    const t = Date.now();
    await ping.GET(new Request(`${BASE}/ping/${c.uuid}/start`), { params: Promise.resolve({ path: [c.uuid, 'start'] }) });
    await ping.GET(new Request(`${BASE}/ping/${c.uuid}`), { params: Promise.resolve({ path: [c.uuid] }) });
    await cron.setCheckPaused(x.h.db, cli, (await x.h.db.cronCheck.findUniqueOrThrow({ where: { name: 'bravo' } })).id, true, new Date());
    const text = await allMetricsText(x.h.db, new Date(t + 5000));
    expect(text).toContain('# TYPE steward_cron_check_up gauge');
    expect(text).toContain('steward_cron_check_up{check="alpha",type="ping"} 1');
    expect(text).toContain('steward_cron_check_up{check="echo",type="ping"} 0');
    expect(text).not.toContain('steward_cron_check_up{check="bravo"');
    expect(text).toContain('steward_cron_check_state{check="bravo",type="ping",state="paused"} 1');
    expect(text).toContain('steward_cron_check_state{check="echo",type="ping",state="down"} 1');
    expect(text).toMatch(/steward_cron_seconds_since_last_ping\{check="alpha",type="ping"\} [45]\n/);
    expect(text).toMatch(/steward_cron_last_duration_seconds\{check="alpha",type="ping"\} 0(\.\d+)?\n/);
    expect(text).toContain('steward_cron_check_up{check="backup-dump",type="freshness"} 1');
  });
});
