// The database rate limiter used by setup and password changes (lib/services/rate-limit.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db/client';
import { hitRateLimit } from '@/lib/services/rate-limit';
import { pruneExpiredSessions } from '@/lib/services/sessions';
import { createTestDb, usingPostgres, type TestDb } from './helpers';

let h: TestDb;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

const T0 = new Date('2026-05-01T12:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const limit = { max: 3, windowMs: 60_000 };

describe('hitRateLimit', () => {
  it('allows max attempts per window, refuses the next with the seconds left, and reopens after the window', async () => {
    const results = [];
    for (const s of [0, 1, 2, 3, 30]) results.push(await hitRateLimit(h.db, 'k1', limit, at(s)));
    expect(results).toEqual([
      { ok: true, remaining: 2 },
      { ok: true, remaining: 1 },
      { ok: true, remaining: 0 },
      { ok: false, retryAfterSeconds: 57 },
      { ok: false, retryAfterSeconds: 30 },
    ]);
    // Exactly one window later it starts over.
    expect(await hitRateLimit(h.db, 'k1', limit, at(60))).toEqual({ ok: true, remaining: 2 });
  });

  it('keys are independent and prefixed so they never meet better-auth’s own rows', async () => {
    expect(await hitRateLimit(h.db, 'k2', limit, at(0))).toEqual({ ok: true, remaining: 2 });
    const keys = (await h.db.rateLimit.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key);
    expect(keys).toEqual(['steward:k1', 'steward:k2']);
  });

  it('counts exactly under concurrency (two instances hitting the same key)', async () => {
    if (!usingPostgres) return; // PGlite has one connection
    const second = await openDatabase({ url: h.url!, poolSize: 4 });
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => hitRateLimit(i % 2 ? h.db : second.db, 'k3', { max: 5, windowMs: 60_000 }, at(1))));
      expect(results.filter((r) => r.ok)).toHaveLength(5);
    } finally {
      await second.close();
    }
  });

  it('stale rows are pruned by the prune-sessions job', async () => {
    await pruneExpiredSessions(h.db, new Date(T0.getTime() + 2 * 24 * 3600_000));
    expect(await h.db.rateLimit.count()).toBe(0);
  });
});
