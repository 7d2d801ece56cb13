/**
 * hitRateLimit (lib/services/rate-limit.ts) at its exact edges (issue #12): the last allowed
 * attempt, the window's last millisecond and its end, Retry-After rounded up (never 0), a new
 * window starting at the first attempt after the old one (not at its end), and the stored row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hitRateLimit } from '@/lib/services/rate-limit';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

const T0 = new Date('2026-06-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const limit = { max: 2, windowMs: 10_000 };
const row = (key: string) => h.db.rateLimit.findUniqueOrThrow({ where: { key: `steward:${key}` } });

describe('hitRateLimit edges', () => {
  it('refused up to the window\'s last millisecond (Retry-After 1 s, rounded up), allowed again at its end', async () => {
    expect(await hitRateLimit(h.db, 'edge', limit, at(0))).toEqual({ ok: true, remaining: 1 });
    expect(await hitRateLimit(h.db, 'edge', limit, at(1))).toEqual({ ok: true, remaining: 0 });
    expect(await hitRateLimit(h.db, 'edge', limit, at(2))).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(await hitRateLimit(h.db, 'edge', limit, at(8_999))).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(await hitRateLimit(h.db, 'edge', limit, at(9_000))).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(await hitRateLimit(h.db, 'edge', limit, at(9_999))).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Refused attempts are counted too.
    expect(await row('edge')).toMatchObject({ count: 6, lastRequest: BigInt(T0.getTime()) });
    expect(await hitRateLimit(h.db, 'edge', limit, at(10_000))).toEqual({ ok: true, remaining: 1 });
    expect(await row('edge')).toMatchObject({ count: 1, lastRequest: BigInt(T0.getTime() + 10_000) });
  });

  it('the next window starts at the first attempt after the old one ended, not at its end', async () => {
    await hitRateLimit(h.db, 'late', limit, at(0));
    // 25 s later: the window [0, 10 s) is long over; the new one is [25 s, 35 s).
    expect(await hitRateLimit(h.db, 'late', limit, at(25_000))).toEqual({ ok: true, remaining: 1 });
    expect(await hitRateLimit(h.db, 'late', limit, at(25_001))).toEqual({ ok: true, remaining: 0 });
    expect(await hitRateLimit(h.db, 'late', limit, at(30_000))).toEqual({ ok: false, retryAfterSeconds: 5 });
    expect(await hitRateLimit(h.db, 'late', limit, at(34_999))).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(await hitRateLimit(h.db, 'late', limit, at(35_000))).toEqual({ ok: true, remaining: 1 });
  });

  it('max 1 allows the first attempt only; the row is keyed steward:<key>', async () => {
    const one = { max: 1, windowMs: 3_600_000 };
    expect(await hitRateLimit(h.db, 'setup:203.0.113.7', one, at(0))).toEqual({ ok: true, remaining: 0 });
    expect(await hitRateLimit(h.db, 'setup:203.0.113.7', one, at(1_000))).toEqual({ ok: false, retryAfterSeconds: 3599 });
    expect(await row('setup:203.0.113.7')).toMatchObject({ key: 'steward:setup:203.0.113.7', count: 2 });
  });
});
