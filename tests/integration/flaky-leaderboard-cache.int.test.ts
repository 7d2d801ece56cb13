// The project page's stored leaderboard (issue 9, lib/services/flaky/leaderboard-cache.ts) against
// a real database: served only while the project's results version is current, so every write of
// results (ingest, re-parse, prune) makes the next view recompute; a computation that overlapped a
// write is never served; an older version never overwrites a newer one; the window moves at
// midnight UTC; the job recomputes exactly the stale ones; and the stored rows equal the query's.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { flakyHousekeeping } from '@/lib/services/flaky/housekeeping';
import { ingestResults, type UploadMeta } from '@/lib/services/flaky/ingest';
import { bumpResultsVersion, cachedLeaderboard, leaderboardSince, refreshAfterUpload, refreshLeaderboard, refreshStaleLeaderboards } from '@/lib/services/flaky/leaderboard-cache';
import { createProject } from '@/lib/services/flaky/projects';
import { leaderboardBetween } from '@/lib/services/flaky/queries';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { reparseUpload } from '@/lib/services/flaky/reparse';
import { bytes, junitXml, type CaseSpec } from '../support/junit-xml';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;
let projectId = '';
let otherId = '';
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const DAY = 86_400_000;
const NOW = Date.parse('2026-07-01T15:00:00Z');
let seq = 0;
const send = (project: string, at: number, meta: UploadMeta, cases: CaseSpec[]) =>
  ingestResults(h.db, ci, { project, meta: { runId: String(++seq), ...meta }, files: [{ name: `j${seq}.xml`, chunks: chunksOf(bytes(junitXml(cases))) }] }, { now: new Date(at) });
const filler = Array.from({ length: 10 }, (_, i) => ({ name: `ok${i}` }));
const version = async (id: string) => (await h.db.testResultsVersion.findUnique({ where: { projectId: id } }))?.version ?? 0n;
const view = (at = NOW) => cachedLeaderboard(h.db, projectId, new Date(at));
const names = (r: { rows: { name: string; runsImpacted: number }[] }) => r.rows.map((x) => `${x.name}:${x.runsImpacted}`);

beforeAll(async () => {
  h = await createTestDb();
  projectId = (await createProject(h.db, cli, { key: 'lbc', name: 'lbc' }, new Date(NOW - 90 * DAY))).id;
  otherId = (await createProject(h.db, cli, { key: 'other', name: 'other' }, new Date(NOW - 90 * DAY))).id;
  await send('lbc', NOW - 5 * DAY, { commit: 'c1' }, [...filler, { name: 'wobbly', attempts: ['fail', 'pass'] }]);
  await send('lbc', NOW - 4 * DAY, { commit: 'c2' }, [...filler, { name: 'wobbly', attempts: ['fail', 'pass'] }, { name: 'shaky', attempts: ['fail', 'pass'] }]);
});
afterAll(async () => {
  await h?.close();
});

describe('cachedLeaderboard', () => {
  it('the window starts at 00:00 UTC of the day 30 days before', () => {
    expect(leaderboardSince(new Date('2026-07-01T15:00:00Z')).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(leaderboardSince(new Date('2026-07-01T00:00:00Z')).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(leaderboardSince(new Date('2026-06-30T23:59:59.999Z')).toISOString()).toBe('2026-05-31T00:00:00.000Z');
  });

  it('computes once, then serves the stored rows, which equal the query over the same window', async () => {
    const first = await view();
    expect([first.hit, names(first)]).toEqual([false, ['wobbly:2', 'shaky:1']]);
    const second = await view(NOW + 3_600_000);
    expect([second.hit, names(second)]).toEqual([true, ['wobbly:2', 'shaky:1']]);
    expect(second.rows).toEqual(await leaderboardBetween(h.db, projectId, leaderboardSince(new Date(NOW)), null, 25));
  });

  it('an ingest bumps the version: the next view recomputes and shows the new results; another project is untouched', async () => {
    const v = await version(projectId);
    const otherV = await version(otherId);
    await send('lbc', NOW - 3 * DAY, { commit: 'c3' }, [...filler, { name: 'shaky', attempts: ['fail', 'pass'] }, { name: 'new', attempts: ['fail', 'fail', 'pass'] }]);
    expect(await version(projectId)).toBe(v + 1n);
    expect(await version(otherId)).toBe(otherV);
    const after = await view();
    expect([after.hit, names(after)]).toEqual([false, ['shaky:2', 'wobbly:2', 'new:1']]);
    expect((await view()).hit).toBe(true);
  });

  it('a duplicate upload (same file re-sent) stores nothing and keeps the version', async () => {
    const v = await version(projectId);
    const meta = { commit: 'c9', runId: 'dup' };
    await ingestResults(h.db, ci, { project: 'lbc', meta, files: [{ name: 'dup.xml', chunks: chunksOf(bytes(junitXml(filler))) }] }, { now: new Date(NOW - 2 * DAY) });
    expect(await version(projectId)).toBe(v + 1n);
    await ingestResults(h.db, ci, { project: 'lbc', meta, files: [{ name: 'dup.xml', chunks: chunksOf(bytes(junitXml(filler))) }] }, { now: new Date(NOW - 2 * DAY) });
    expect(await version(projectId)).toBe(v + 1n);
  });

  it('a re-parse bumps the version', async () => {
    await view();
    const upload = await h.db.testUpload.findFirstOrThrow({ where: { projectId, raw: { not: null } }, orderBy: { receivedAt: 'asc' } });
    const v = await version(projectId);
    await reparseUpload(h.db, cli, upload.id, { now: new Date(NOW) });
    expect(await version(projectId)).toBe(v + 1n);
    expect((await view()).hit).toBe(false);
  });

  it('a computation that overlapped a write is stored under the older version and never served', async () => {
    await view();
    // As if a view read version v, a write committed (v + 1), and the view then stored its rows.
    const stale = await h.db.flakyLeaderboard.findUniqueOrThrow({ where: { projectId_days: { projectId, days: 30 } } });
    await h.db.$transaction((tx) => bumpResultsVersion(tx, projectId));
    expect(await version(projectId)).toBe(stale.version + 1n);
    const next = await view();
    expect(next.hit).toBe(false);
    // …and an older version arriving late never overwrites the newer one just stored.
    await h.db.$executeRaw`UPDATE "flaky_leaderboards" SET "rows" = '[]'::jsonb WHERE "projectId" = ${projectId}`;
    await h.db.$executeRaw`
      INSERT INTO "flaky_leaderboards" ("projectId", "days", "since", "version", "computedAt", "rows") VALUES (${projectId}, 30, ${stale.since}, ${stale.version}, ${new Date(NOW)}, '[{"name":"late"}]'::jsonb)
      ON CONFLICT ("projectId", "days") DO UPDATE SET "version" = EXCLUDED."version", "rows" = EXCLUDED."rows"
       WHERE ("flaky_leaderboards"."since", "flaky_leaderboards"."version") <= (EXCLUDED."since", EXCLUDED."version")`;
    const kept = await h.db.flakyLeaderboard.findUniqueOrThrow({ where: { projectId_days: { projectId, days: 30 } } });
    expect([kept.version, kept.rows]).toEqual([stale.version + 1n, []]);
    await h.db.$executeRaw`DELETE FROM "flaky_leaderboards" WHERE "projectId" = ${projectId}`; // the emptied row was this test's doing
  });

  it('the window moves at midnight UTC: the first view of a new day recomputes', async () => {
    const today = await view(NOW);
    expect(today.hit).toBe(false); // nothing stored (the previous test removed its row)
    expect((await view(NOW)).hit).toBe(true);
    const tomorrow = await view(Date.parse('2026-07-02T00:00:00Z'));
    expect([tomorrow.hit, tomorrow.since.toISOString()]).toEqual([false, '2026-06-02T00:00:00.000Z']);
  });

  it('the job recomputes exactly the stale leaderboards, after which views are hits', async () => {
    const jobNow = new Date(Date.parse('2026-07-02T00:01:00Z'));
    await send('lbc', jobNow.getTime() - 60_000, { commit: 'c5' }, [...filler, { name: 'late', attempts: ['fail', 'pass'] }]);
    // lbc changed since its last view; other has never been computed.
    expect(await refreshStaleLeaderboards(h.db, jobNow)).toBe(2);
    expect(await refreshStaleLeaderboards(h.db, jobNow)).toBe(0);
    const v = await cachedLeaderboard(h.db, projectId, jobNow);
    expect([v.hit, names(v).includes('late:1')]).toEqual([true, true]);
    expect((await cachedLeaderboard(h.db, otherId, jobNow))).toMatchObject({ hit: true, rows: [] });
  });

  it('views racing ingests, 6 rounds: once the ingest has committed, a view always shows its results', async () => {
    for (let i = 0; i < 6; i++) {
      const at = NOW + (i + 2) * 3_600_000;
      await Promise.all([send('lbc', at, { commit: `r${i}` }, [...filler, { name: `race${i}`, attempts: ['fail', 'pass'] }]), view(at), view(at), view(at)]);
      const after = await view(at);
      expect(after.rows).toEqual(await leaderboardBetween(h.db, projectId, leaderboardSince(new Date(at)), null, 25));
      expect(names(after)).toContain(`race${i}:1`);
    }
  });

  it('pruning results bumps every project that has a version', async () => {
    const before = [await version(projectId), await version(otherId)];
    const r = await flakyHousekeeping(h.db, new Date(NOW + 400 * DAY), { resultDays: 30 });
    expect(r.resultsDeleted).toBeGreaterThan(0);
    expect(await version(projectId)).toBe(before[0]! + 1n);
    expect(await version(otherId)).toBe(before[1]!); // never written: no row, nothing to bump
  });
});

describe('refreshLeaderboard (started by an upload through the server)', () => {
  // Its own project, so the order of the tests above does not matter here.
  let id = '';
  const at = NOW + 10 * DAY;
  const clock = () => new Date(at);
  const stored = async () => h.db.flakyLeaderboard.findUnique({ where: { projectId_days: { projectId: id, days: 30 } } });
  beforeAll(async () => {
    id = (await createProject(h.db, cli, { key: 'lbr', name: 'lbr' }, new Date(NOW))).id;
  });
  /** The database, with every $executeRaw (the leaderboard's store) held until `open()`; `reached` when the first one waits. */
  const gatedStore = () => {
    let open!: () => void;
    let arrive!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const reached = new Promise<void>((r) => (arrive = r));
    const db = new Proxy(h.db, {
      get: (t, p) => (p === '$executeRaw' ? (...a: Parameters<typeof t.$executeRaw>) => (arrive(), gate.then(() => t.$executeRaw(...a))) : Reflect.get(t, p, t)),
    });
    return { db, open, reached };
  };

  it('computes when the stored leaderboard is stale and not when it is current', async () => {
    await send('lbr', at - 60_000, { commit: 'x1' }, [...filler, { name: 'jumpy', attempts: ['fail', 'pass'] }]);
    expect(await refreshLeaderboard(h.db, id, clock)).toBe(1);
    expect(await refreshLeaderboard(h.db, id, clock)).toBe(0);
    const v = await cachedLeaderboard(h.db, id, clock());
    expect([v.hit, names(v)]).toEqual([true, ['jumpy:1']]);
  });

  it('a burst of calls while one runs costs one more computation, not one each, and ends current', async () => {
    await send('lbr', at - 50_000, { commit: 'x2' }, [...filler, { name: 'jumpy', attempts: ['fail', 'pass'] }]);
    const { db, open, reached } = gatedStore();
    const first = refreshLeaderboard(db, id, clock);
    await reached; // it has computed, and waits at the gate to store, when the next upload commits
    await send('lbr', at - 40_000, { commit: 'x3' }, [...filler, { name: 'twitchy', attempts: ['fail', 'pass'] }]);
    const rest = [refreshLeaderboard(db, id, clock), refreshLeaderboard(db, id, clock), refreshLeaderboard(db, id, clock)];
    open();
    // One promise for all: the pass that began before the last upload, then exactly one more.
    expect(await Promise.all([first, ...rest])).toEqual([2, 2, 2, 2]);
    expect((await stored())?.version).toBe(await version(id));
    const v = await cachedLeaderboard(h.db, id, clock());
    expect([v.hit, names(v)]).toEqual([true, ['jumpy:2', 'twitchy:1']]);
  });

  it('a view while a refresh runs waits for it and is served its result (it does not compute beside it), 3 rounds', async () => {
    for (let i = 0; i < 3; i++) {
      await send('lbr', at - 30_000 + i, { commit: `y${i}` }, [...filler, { name: `edgy${i}`, attempts: ['fail', 'pass'] }]);
      // The refresh's store waits at a gate, so the view surely finds nothing current and the refresh running.
      const { db: gated, open } = gatedStore();
      const refreshing = refreshLeaderboard(gated, id, clock);
      const viewing = cachedLeaderboard(gated, id, clock());
      setTimeout(open, 200);
      const v = await viewing;
      expect(await refreshing).toBe(1);
      expect(v.hit, `round ${i}`).toBe(true);
      expect(v.rows).toEqual(await leaderboardBetween(h.db, id, leaderboardSince(clock()), null, 25));
      expect(names(v)).toContain(`edgy${i}:1`);
    }
  });

  it('after an upload: nothing for duplicates only, a refresh otherwise; a failure is logged, never thrown', async () => {
    const r = await send('lbr', at - 20_000, { commit: 'z1' }, [...filler, { name: 'last', attempts: ['fail', 'pass'] }]);
    await refreshAfterUpload(h.db, { ...r, uploads: r.uploads.map((u) => ({ ...u, duplicate: true })) });
    expect((await stored())?.version).toBe((await version(id)) - 1n);
    await refreshAfterUpload(h.db, r);
    expect((await stored())?.version).toBe(await version(id));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const broken = { ...h.db, project: { findUnique: () => Promise.reject(new Error('connection lost')) } } as unknown as typeof h.db;
      await expect(refreshAfterUpload(broken, r)).resolves.toBeUndefined();
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('refreshing lbr after an upload failed'), 'connection lost');
      await expect(refreshAfterUpload(h.db, { project: 'no-such-project', uploads: [{ duplicate: false }] })).resolves.toBeUndefined();
    } finally {
      errors.mockRestore();
    }
  });
});
