/**
 * The soak, E2E and chaos API routes called by an attacker, in-process against a real database and
 * real sessions: anonymous, a viewer and an admin session on the ingest routes (token only), a
 * read-only / revoked / other-project token, oversize bodies, a depth bomb, control characters and
 * NUL in fields and path parameters. Nothing is stored by any refused call.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { eventsJsonl, leakingRss, soakCsv } from '../support/soak-series';
import { BASE, prepareEnv, send, type Harness } from './authz-harness';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

prepareEnv();
const { startHarness } = await import('./authz-harness');
const soakRuns = await import('@/app/api/v1/soak-runs/route');
const soakRun = await import('@/app/api/v1/soak-runs/[id]/route');
const e2eRuns = await import('@/app/api/v1/e2e-runs/route');
const chaos = await import('@/app/api/v1/chaos-results/route');

let x: Harness;
const bearer = (t: keyof Harness['tokens']) => ({ authorization: `Bearer ${x.tokens[t]}`, 'content-type': 'application/json' });
const cookie = (role: keyof Harness['users']) => ({ cookie: x.users[role].cookie, origin: BASE, 'content-type': 'application/json' });
const soakBody = (over: Record<string, unknown> = {}) => JSON.stringify({ project: 'alpha', name: 'nightly-24h', files: [{ name: 'r.csv', content: soakCsv({ rss: leakingRss, start: Date.now() - 25 * 3_600_000 }) }], ...over });
const post = (headers: Record<string, string>, body: string) => send(soakRuns.POST, { method: 'POST', path: '/api/v1/soak-runs', headers, body });
const stored = async () => ({ runs: await x.h.db.soakRun.count(), samples: await x.h.db.soakSample.count(), e2e: await x.h.db.e2eRun.count(), chaos: await x.h.db.chaosRun.count() });

beforeAll(async () => {
  x = await startHarness();
  const cli: Actor = { type: 'cli', id: null, label: 'cli:authz', origin: 'cli' };
  for (const key of ['alpha', 'beta']) await createProject(x.h.db, cli, { key, name: key });
});
afterAll(async () => {
  await x?.close();
});

describe('POST /api/v1/soak-runs', () => {
  it('refuses anonymous (401), a revoked token (401), a read token (403), any session (403); nothing stored', async () => {
    const before = await stored();
    expect((await post({ 'content-type': 'application/json' }, soakBody())).status).toBe(401);
    const revoked = await post(bearer('revoked'), soakBody());
    expect([revoked.status, revoked.body.error?.message]).toEqual([401, 'This API token has been revoked.']);
    const read = await post(bearer('read'), soakBody());
    expect([read.status, read.body.error?.message]).toEqual([403, 'This endpoint needs the "ingest" scope.']);
    expect((await post(cookie('viewer'), soakBody())).status).toBe(403);
    const admin = await post(cookie('admin'), soakBody());
    expect([admin.status, admin.body.error?.message]).toEqual([403, 'This endpoint needs an API token with the "ingest" scope.']);
    expect(await x.h.db.auditEvent.count({ where: { action: 'soak.ingest', outcome: 'denied' } })).toBeGreaterThanOrEqual(3);
    expect(await stored()).toEqual(before);
  });

  it('a token limited to project alpha cannot post to beta (404, as for a project that does not exist)', async () => {
    const r = await post(bearer('ingestAlpha'), soakBody({ project: 'beta' }));
    expect([r.status, r.body.error?.code]).toEqual([404, 'not_found']);
  });

  it('hostile bodies: oversize 413, depth bomb 400, control characters and NUL 400 naming the field; nothing stored', async () => {
    const before = await stored();
    const big = await post(bearer('ingest'), JSON.stringify({ project: 'alpha', name: 'x', files: [{ name: 'r.csv', content: 'a'.repeat(49 * 1024 * 1024) }] }));
    expect(big.status).toBe(413);
    const bomb = await post(bearer('ingest'), `{"project":"alpha","name":"x","files":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(bomb.status).toBe(400);
    expect(bomb.body.error?.message).toMatch(/nested too deeply/);
    const ctl = await post(bearer('ingest'), soakBody({ name: 'night\u001bly' }));
    expect([ctl.status, ctl.body.error?.details?.[0]?.field]).toEqual([400, 'name']);
    const nul = await post(bearer('ingest'), soakBody({ files: [{ name: 'r.csv', content: 'timestamp,rss_mb\n2026-12-01T00:00:00Z,1\u0000\n' }] }));
    expect([nul.status, nul.body.error?.details?.[0]?.message]).toEqual([400, 'must not contain a NUL character']);
    const badName = await post(bearer('ingest'), soakBody({ files: [{ name: 'r\u0007.csv', content: 'x' }] }));
    expect([badName.status, badName.body.error?.details?.[0]?.field]).toEqual([400, 'files[0].name']);
    const badCell = await post(bearer('ingest'), soakBody({ files: [{ name: 'r.csv', content: 'timestamp,rss_mb\n2026-12-01T00:00:00Z,1e400\n' }] }));
    expect([badCell.status, badCell.body.error?.message]).toEqual([400, 'files[0] line 2, column "rss_mb": r.csv: line 2, column "rss_mb": "1e400" is not a finite number']);
    expect(await stored()).toEqual(before);
  });

  it('an ingest token stores the run (201) and a re-send is 200 with the same id', async () => {
    const body = soakBody({ runKey: 'gha-1' });
    const a = await post(bearer('ingest'), body);
    expect(a.status).toBe(201);
    expect((a.body as { leak: { verdict: string } }).leak.verdict).toBe('leak');
    const b = await post(bearer('ingest'), body);
    expect([b.status, b.body.id]).toEqual([200, a.body.id]);
  });
});

describe('GET /api/v1/soak-runs and /:id', () => {
  it('anonymous 401, an ingest-only token 403, read token and viewer 200; other-project token sees nothing of alpha', async () => {
    const get = (headers: Record<string, string>, path = '/api/v1/soak-runs') => send(soakRuns.GET, { method: 'GET', path, headers });
    expect((await get({})).status).toBe(401);
    expect((await get(bearer('ingest'))).status).toBe(403);
    const r = await get(bearer('read'));
    expect(r.status).toBe(200);
    const runs = (r.body as { runs: { id: string; project: string }[] }).runs;
    expect(runs.map((x) => x.project)).toEqual(['alpha']);
    expect((await get({ cookie: x.users.viewer.cookie })).status).toBe(200);
    expect(((await get(bearer('readBeta'))).body as { runs: unknown[] }).runs).toEqual([]);
    const one = (t: keyof Harness['tokens'], id: string, q = '') => send(soakRun.GET, { method: 'GET', path: `/api/v1/soak-runs/${encodeURIComponent(id)}${q}`, headers: bearer(t), params: { id } });
    const ok = await one('read', runs[0]!.id, '?points=20');
    expect(ok.status).toBe(200);
    expect((ok.body as { series: { points: unknown[] } }).series.points.length).toBeLessThanOrEqual(20);
    expect((await one('readBeta', runs[0]!.id)).status).toBe(404);
    expect((await one('read', 'not-a-uuid')).status).toBe(404);
    expect((await one('read', 'a\u0000b')).status).toBe(400);
    expect((await one('read', runs[0]!.id, '?points=999999')).status).toBe(400);
    expect((await get(bearer('read'), '/api/v1/soak-runs?limit=abc')).status).toBe(400);
    expect((await get(bearer('read'), '/api/v1/soak-runs?evil=1')).status).toBe(400);
  });
});

describe('POST /api/v1/e2e-runs and /api/v1/chaos-results', () => {
  it('token only, bounded, bad lines refused with their number; good uploads 201 and readable', async () => {
    const before = await stored();
    const e2e = (headers: Record<string, string>, body: unknown) => send(e2eRuns.POST, { method: 'POST', path: '/api/v1/e2e-runs', headers, body: JSON.stringify(body) });
    const ch = (headers: Record<string, string>, body: unknown) => send(chaos.POST, { method: 'POST', path: '/api/v1/chaos-results', headers, body: JSON.stringify(body) });
    const events = { project: 'alpha', file: { name: 'events.jsonl', content: eventsJsonl('publish-install-use', ['publish', 'install'], 1, Date.now() - 3_600_000) } };
    const chaosJson = { project: 'alpha', file: { name: 'chaos.json', content: JSON.stringify({ scenarios: [{ scenario: 'ipfs_restart', runs: 20, passed: 20, recovery_times_s: [3, 4] }] }) } };
    expect((await e2e({ 'content-type': 'application/json' }, events)).status).toBe(401);
    expect((await e2e(bearer('read'), events)).status).toBe(403);
    expect((await e2e(cookie('admin'), events)).status).toBe(403);
    expect((await ch(bearer('revoked'), chaosJson)).status).toBe(401);
    expect((await ch(bearer('ingestAlpha'), { ...chaosJson, project: 'beta' })).status).toBe(404);
    const bad = await e2e(bearer('ingest'), { project: 'alpha', file: { name: 'events.jsonl', content: '{"step":"a","status":"ok"}\n[1,2]\n' } });
    expect([bad.status, bad.body.error?.details?.[0]]).toEqual([400, { field: 'file line 2', message: 'events.jsonl: line 2: must be a JSON object' }]);
    const xxe = await ch(bearer('ingest'), { project: 'alpha', file: { name: 'c.xml', content: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><testsuite><testcase name="chaos_&e;"/></testsuite>' } });
    expect(xxe.status).toBe(400);
    expect(await stored()).toEqual(before);
    expect((await e2e(bearer('ingest'), events)).status).toBe(201);
    expect((await ch(bearer('ingest'), chaosJson)).status).toBe(201);
    const pipes = await send(e2eRuns.GET, { method: 'GET', path: '/api/v1/e2e-runs?project=alpha', headers: bearer('read') });
    expect((pipes.body as { pipelines: { pipeline: string; successRate: number; lastFailure: { failingStep: string } }[] }).pipelines).toMatchObject([{ pipeline: 'publish-install-use', successRate: 0, lastFailure: { failingStep: 'install' } }]);
    const scen = await send(chaos.GET, { method: 'GET', path: '/api/v1/chaos-results', headers: bearer('read') });
    expect((scen.body as { scenarios: { scenario: string; successRate: number; recoveryMaxMs: number }[] }).scenarios).toMatchObject([{ scenario: 'ipfs_restart', successRate: 1, recoveryMaxMs: 4000 }]);
  });
});

