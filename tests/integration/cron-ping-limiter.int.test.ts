/**
 * The ping endpoint's rate limiter (lib/services/cron/ping-limiter.ts): counted in-process and
 * written in batches while a bucket is far from its limit, decided by the shared `rate_limits`
 * row near it. It must say exactly what hitRateLimit (lib/services/rate-limit.ts, one upsert per
 * hit) says on one instance, hold the limit across instances sharing the database, and key the
 * per-source bucket by the trusted address (a forged X-Forwarded-For changes nothing).
 */
process.env.STEWARD_PING_BODY_LIMIT = '64';
process.env.STEWARD_SECRET ??= 'ping-limiter-tests-secret-0123456789abcdef';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DbHandle } from '@/lib/db/client';
import { PingLimiter } from '@/lib/services/cron/ping-limiter';
import { hitRateLimit, type RateLimitResult } from '@/lib/services/rate-limit';
import { createTestDb, usingPostgres, type TestDb } from './helpers';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, set: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

let h: TestDb;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

const T0 = new Date('2026-12-02T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const manual = (db = h.db) => new PingLimiter(db, { autoFlush: false });
const sharedCount = async (key: string) => (await h.db.rateLimit.findUnique({ where: { key: `steward:${key}` } }))?.count ?? 0;

describe('one instance: the same answers as hitRateLimit', () => {
  for (const max of [1, 2, 3, 5, 60]) {
    it(`max ${max}: allowed up to exactly the limit, refused beyond it with the same Retry-After, reopened a window later`, async () => {
      const limit = { max, windowMs: 60_000 };
      const l = manual();
      const times = [...Array.from({ length: max + 3 }, (_, i) => i * 100), 30_000, 60_000, 60_100];
      const mine: RateLimitResult[] = [];
      const reference: RateLimitResult[] = [];
      for (const [i, ms] of times.entries()) {
        mine.push(await l.hit(`b${max}`, limit, at(ms)));
        reference.push(await hitRateLimit(h.db, `ref${max}`, limit, at(ms)));
        if (i % 7 === 6) await l.flush(at(ms)); // batches written in between change nothing
      }
      expect(mine.map((r) => r.ok)).toEqual(reference.map((r) => r.ok));
      expect(mine.map((r) => (r.ok ? null : r.retryAfterSeconds))).toEqual(reference.map((r) => (r.ok ? null : r.retryAfterSeconds)));
      // The boundary itself: hit number max is allowed, max + 1 is not.
      expect(mine[max - 1]!.ok).toBe(true);
      expect(mine[max]!.ok).toBe(false);
      expect(mine.at(-2)!.ok).toBe(true); // a window later
    });
  }

  it('far from the limit nothing is written until the batch; the batch writes every hit, one row per bucket', async () => {
    const l = manual();
    const limit = { max: 60, windowMs: 60_000 };
    for (let i = 0; i < 10; i++) expect((await l.hit('far-a', limit, at(i))).ok).toBe(true);
    for (let i = 0; i < 3; i++) await l.hit('far-b', limit, at(i));
    expect(await sharedCount('far-a')).toBe(0);
    await l.flush(at(20));
    expect([await sharedCount('far-a'), await sharedCount('far-b')]).toEqual([10, 3]);
    expect(l.peek('far-a')).toEqual({ shared: 10, pending: 0, writing: 0, started: T0.getTime() });
    // The window starts at the first hit, as with hitRateLimit: 60 s after it the count starts over.
    await l.hit('far-a', limit, at(60_000));
    await l.flush(at(60_001));
    expect(await sharedCount('far-a')).toBe(1);
  });

  it('refused hits are still counted (hammering does not reopen the window early)', async () => {
    const l = manual();
    const limit = { max: 4, windowMs: 60_000 };
    const rs = [];
    for (let i = 0; i < 10; i++) rs.push((await l.hit('hammer', limit, at(i * 1000))).ok);
    expect(rs).toEqual([true, true, true, true, false, false, false, false, false, false]);
    await l.flush(at(10_000));
    expect(await sharedCount('hammer')).toBe(10);
    expect(await l.hit('hammer', limit, at(59_999))).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect((await l.hit('hammer', limit, at(60_000))).ok).toBe(true);
  });

  it('writes its batches by itself shortly after the first unwritten hit', async () => {
    const l = new PingLimiter(h.db, { flushMs: 20 });
    await l.hit('auto', { max: 100, windowMs: 60_000 }, new Date());
    await l.hit('auto', { max: 100, windowMs: 60_000 }, new Date());
    await vi.waitFor(async () => expect(await sharedCount('auto')).toBe(2), { timeout: 5000, interval: 20 });
  });
});

describe('instances sharing the database', () => {
  let second: DbHandle | null = null;
  beforeAll(async () => {
    if (usingPostgres) second = await openDatabase({ url: h.url!, migrate: false, poolSize: 4 });
  });
  afterAll(async () => {
    await second?.close();
  });
  const otherDb = () => second?.db ?? h.db; // PGlite: one connection, but still two limiters

  it('alternating hits with batches written as they go: exactly the limit between them', async () => {
    const limit = { max: 60, windowMs: 60_000 };
    const a = manual();
    const b = manual(otherDb());
    let allowed = 0;
    for (let i = 0; i < 150; i++) {
      const l = i % 2 ? b : a;
      if ((await l.hit('shared-1', limit, at(i * 10))).ok) allowed++;
      if (i % 8 === 7) await Promise.all([a.flush(at(i * 10)), b.flush(at(i * 10))]);
    }
    expect(allowed).toBe(60);
    await Promise.all([a.flush(at(2000)), b.flush(at(2000))]);
    expect(await sharedCount('shared-1')).toBe(150);
  });

  it('concurrent hits with no batch written: at most the limit plus half of it per other instance', async () => {
    const limit = { max: 10, windowMs: 60_000 };
    const a = manual();
    const b = manual(otherDb());
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? b : a).hit('shared-2', limit, at(1))));
    const allowed = rs.filter((r) => r.ok).length;
    expect(allowed).toBeGreaterThanOrEqual(10);
    expect(allowed).toBeLessThanOrEqual(15);
    // Once both have seen the shared row, neither lets anything more through this window.
    expect((await a.hit('shared-2', limit, at(2))).ok).toBe(false);
    expect((await b.hit('shared-2', limit, at(2))).ok).toBe(false);
  });

  it('a bucket one instance filled: the other lets through at most half the limit before it has seen the row, nothing after', async () => {
    const limit = { max: 6, windowMs: 60_000 };
    const a = manual();
    for (let i = 0; i < 6; i++) expect((await a.hit('shared-3', limit, at(i))).ok).toBe(true);
    expect((await a.hit('shared-3', limit, at(6))).ok).toBe(false);
    const b = manual(otherDb());
    const rs = [];
    for (let i = 0; i < 6; i++) rs.push((await b.hit('shared-3', limit, at(10 + i))).ok);
    expect(rs).toEqual([true, true, true, false, false, false]);
    const c = manual(otherDb());
    expect((await c.hit('shared-3', limit, at(20))).ok).toBe(true); // unseen yet…
    await c.flush(at(21)); // …until its first batch (FLUSH_MS after that hit)
    expect(await c.hit('shared-3', limit, at(22))).toEqual({ ok: false, retryAfterSeconds: 60 });
  });
});

describe('through the route: the source bucket is the trusted address', () => {
  it('a forged X-Forwarded-For neither escapes the per-source limit nor becomes the stored address', async () => {
    process.env.STEWARD_PING_RATE_PER_CHECK = '0';
    process.env.STEWARD_PING_RATE_PER_SOURCE = '4';
    const { resetCronSettings } = await import('@/lib/services/cron/settings');
    resetCronSettings();
    const g = globalThis as unknown as { __stewardDb?: Promise<unknown>; __stewardPeerNonce?: string };
    g.__stewardDb = Promise.resolve(h);
    g.__stewardPeerNonce = 'limiter-test-nonce';
    try {
      const route = await import('@/app/ping/[...path]/route');
      const cron = await import('@/lib/services/cron');
      const check = await cron.createCheck(h.db, { type: 'cli', id: null, label: 'cli:limiter', origin: 'cli' }, { name: 'forged-xff', type: 'ping', schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 600 } }, new Date());
      const ping = async (peer: string, forged?: string) => {
        const res = await route.POST(new Request(`http://steward.test/ping/${check.uuid}`, {
          method: 'POST', body: 'x', headers: { 'x-steward-peer': `limiter-test-nonce ${peer}`, 'user-agent': 'curl/8.5.0', ...(forged ? { 'x-forwarded-for': forged } : {}) },
        }), { params: Promise.resolve({ path: [check.uuid] }) });
        return [res.status, await res.text(), res.headers.get('ping-body-limit'), res.headers.get('retry-after') !== null] as const;
      };
      const rs = [];
      for (let i = 0; i < 6; i++) rs.push(await ping('10.7.7.7', `198.51.100.${i}, 203.0.113.${i}`));
      expect(rs.map((r) => r[0])).toEqual([200, 200, 200, 200, 429, 429]);
      expect(rs[0]).toEqual([200, 'OK', '64', false]);
      expect(rs[4]).toEqual([429, 'rate limited', '64', true]);
      expect((await ping('10.8.8.8', '10.7.7.7'))[0]).toBe(200); // another peer, claiming to be the first one
      const stored = await h.db.cronPing.findMany({ where: { checkId: check.id } });
      expect(stored.map((p) => p.sourceAddress).sort()).toEqual(['10.7.7.7', '10.7.7.7', '10.7.7.7', '10.7.7.7', '10.8.8.8']);
      expect(stored.every((p) => Buffer.from(p.body!).toString() === 'x' && p.userAgent === 'curl/8.5.0')).toBe(true);
    } finally {
      delete g.__stewardDb;
      delete g.__stewardPeerNonce;
      delete process.env.STEWARD_PING_RATE_PER_CHECK;
      delete process.env.STEWARD_PING_RATE_PER_SOURCE;
      (await import('@/lib/services/cron/settings')).resetCronSettings();
    }
  });
});
