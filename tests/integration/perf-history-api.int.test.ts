/**
 * POST /api/v1/perf-history, the API twin of `steward perf import`, called as CI would and as an
 * attacker would: an ingest token imports (201, then 200 with nothing new on a re-send); anonymous,
 * read-scope, session and other-project callers are refused with nothing stored; a bad file is a 400
 * naming the entry and stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { createProject } from '@/lib/services/flaky/projects';
import { BASE, prepareEnv, send, type Harness } from './authz-harness';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

prepareEnv();
const { startHarness } = await import('./authz-harness');
const route = await import('@/app/api/v1/perf-history/route');

let x: Harness;
const cli: Actor = { type: 'cli', id: null, label: 'cli:history-api', origin: 'cli' };
const T0 = Date.parse('2025-06-01T04:00:00Z');
const DAY = 86_400_000;
const sha = (i: number) => (0xbeef000 + i).toString(16).padStart(7, '0') + 'a'.repeat(33);
const dataJs = (n: number, badValueAt = -1) => `window.BENCHMARK_DATA = ${JSON.stringify({
  lastUpdate: 1, repoUrl: 'https://github.com/acme/app',
  entries: { Bench: Array.from({ length: n }, (_, i) => ({ commit: { id: sha(i) }, date: T0 + i * DAY, tool: 'cargo', benches: [{ name: 'parse', value: i === badValueAt ? 'fast' : 1000 + i, unit: 'ns/iter' }] })) },
})};\n`;
const body = (content: string, project = 'alpha') => JSON.stringify({ project, file: { name: 'data.js', content } });
const bearer = (t: keyof Harness['tokens']) => ({ authorization: `Bearer ${x.tokens[t]}`, 'content-type': 'application/json' });
const post = (headers: Record<string, string>, b: string) => send(route.POST, { method: 'POST', path: '/api/v1/perf-history', headers, body: b });
const runs = () => x.h.db.perfRun.count();

beforeAll(async () => {
  x = await startHarness();
  for (const key of ['alpha', 'beta']) await createProject(x.h.db, cli, { key, name: key }, new Date(T0));
});
afterAll(async () => {
  await x?.close();
});

describe('POST /api/v1/perf-history', () => {
  it('refuses anonymous (401), a read token (403), sessions (403, token only) and an alpha-only token on beta (404); nothing stored', async () => {
    expect((await post({ 'content-type': 'application/json' }, body(dataJs(3)))).status).toBe(401);
    const read = await post(bearer('read'), body(dataJs(3)));
    expect([read.status, read.body.error?.message]).toEqual([403, 'This endpoint needs the "ingest" scope.']);
    for (const role of ['operator', 'admin'] as const) {
      const r = await post({ cookie: x.users[role].cookie, origin: BASE, 'content-type': 'application/json' }, body(dataJs(3)));
      expect(r.status, role).toBe(403);
    }
    const revoked = await post(bearer('revoked'), body(dataJs(3)));
    expect([revoked.status, revoked.body.error?.message]).toEqual([401, 'This API token has been revoked.']);
    const foreign = await post({ cookie: x.users.admin.cookie, origin: 'http://evil.example', 'content-type': 'application/json' }, body(dataJs(3)));
    expect([foreign.status, foreign.body.error?.message]).toEqual([403, 'Cross-site request refused: Origin http://evil.example is not this site.']);
    const forged = await post({ ...bearer('read'), 'x-forwarded-for': '203.0.113.250' }, body(dataJs(3)));
    expect(forged.status).toBe(403);
    // Refusals of one actor and action are one audit row with a count (the earlier read-token call's).
    const denied = await x.h.db.auditEvent.findMany({ where: { action: 'perf.import', outcome: 'denied', actorLabel: 'token:read' } });
    expect(denied.map((d) => [d.count, d.origin === '203.0.113.250'])).toEqual([[2, false]]);
    const other = await post(bearer('ingestAlpha'), body(dataJs(3), 'beta'));
    expect(other.status).toBe(404);
    expect(await runs()).toBe(0);
  });

  it('a bad entry is a 400 naming it, and stores nothing', async () => {
    const r = await post(bearer('ingest'), body(dataJs(4, 2)));
    expect(r.status).toBe(400);
    expect(r.body.error?.details[0]?.field).toBe('file');
    expect(r.body.error?.details[0]?.message).toMatch(/data\.js/);
    expect(await runs()).toBe(0);
  });

  it('an ingest token imports (201) and a re-send adds nothing (200)', async () => {
    const first = await post(bearer('ingestAlpha'), body(dataJs(5)));
    expect(first.status).toBe(201);
    expect([first.body.imported, first.body.skipped, first.body.suite]).toEqual([5, 0, 'Bench']);
    const again = await post(bearer('ingest'), body(dataJs(6)));
    expect([again.status, again.body.imported, again.body.skipped]).toEqual([201, 1, 5]);
    const same = await post(bearer('ingest'), body(dataJs(6)));
    expect([same.status, same.body.imported, same.body.skipped]).toEqual([200, 0, 6]);
    expect(await runs()).toBe(6);
    expect(await x.h.db.perfRegression.count()).toBe(0);
  });
});
