/**
 * The ping endpoint's rate limits (per check, per source address): the same fixed windows, rows
 * and keys as lib/services/rate-limit.ts (`rate_limits`, `steward:<key>`, "lastRequest" = the
 * window's start), shared by every instance, but without a database round trip per ping.
 *
 * Each process counts hits locally and writes them in batches (one statement for every bucket
 * that has new hits, `FLUSH_MS` after the first of them), learning each bucket's shared count and
 * window from the answer. A hit is decided locally while the shared count as last seen plus this
 * process's unwritten hits is at most half the limit; beyond that, every hit is one upsert, so the
 * limit itself is decided by the database exactly as hitRateLimit does (one instance or many).
 * A bucket known to be full stays refused locally until its window ends (the window cannot end
 * earlier for anyone: its start is in the shared row).
 *
 * What is approximate, and only with several instances: while a bucket is under half its limit,
 * another instance's hits of the last `FLUSH_MS` are not yet seen here, so k instances can let
 * through up to about k × limit / 2 before the first of them switches to the exact path, and in
 * practice far less (each one flushes every `FLUSH_MS`). A crash loses at most `FLUSH_MS` of
 * counts. Nothing about the pings themselves is batched: a ping is stored before it is answered.
 */
import type { Db } from '@/lib/db/client';
import type { RateLimit, RateLimitResult } from '../rate-limit';

export const FLUSH_MS = 250;

interface Bucket {
  limit: RateLimit;
  /** The window's start as the database last said (ms), or null before the first answer. */
  started: number | null;
  /** The window's count as the database last said (every instance's hits). */
  shared: number;
  /** Hits counted here and not yet written. */
  pending: number;
  /** Hits being written right now (a batch or an exact hit in flight, not yet in `shared`). */
  writing: number;
  /** When the first of them happened (the window's start if the row has none yet). */
  pendingSince: number;
}

interface SharedRow {
  key: string;
  count: number;
  started: bigint | number;
}

/**
 * Adds `delta` hits per key, as hitRateLimit's upsert does for one (a window that has ended starts
 * again at the hits' time). Keys in order, so that two instances' batches lock rows in one order.
 */
async function addHits(db: Db, rows: { key: string; delta: number; at: number }[], windowMs: number): Promise<Map<string, { count: number; started: number }>> {
  const sorted = [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const json = JSON.stringify(sorted.map((r) => ({ k: `steward:${r.key}`, d: r.delta, t: r.at })));
  const answered = await db.$queryRaw<SharedRow[]>`
    INSERT INTO "rate_limits" ("id", "key", "count", "lastRequest")
    SELECT gen_random_uuid()::text, x.k, x.d, x.t FROM jsonb_to_recordset(${json}::jsonb) AS x(k text, d int, t bigint) ORDER BY x.k
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "rate_limits"."lastRequest" <= EXCLUDED."lastRequest" - ${BigInt(windowMs)} THEN EXCLUDED."count" ELSE "rate_limits"."count" + EXCLUDED."count" END,
      "lastRequest" = CASE WHEN "rate_limits"."lastRequest" <= EXCLUDED."lastRequest" - ${BigInt(windowMs)} THEN EXCLUDED."lastRequest" ELSE "rate_limits"."lastRequest" END
    RETURNING "key", "count", "lastRequest" AS "started"`;
  return new Map(answered.map((r) => [r.key.slice('steward:'.length), { count: Number(r.count), started: Number(r.started) }]));
}

/** A batch and an exact hit can answer out of order: within one window the count only grows. */
function learn(b: Bucket, row: { count: number; started: number }): void {
  b.shared = b.started === row.started ? Math.max(b.shared, row.count) : row.count;
  b.started = row.started;
}

const refusal = (b: Bucket, t: number): RateLimitResult => ({
  ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((b.started ?? t) + b.limit.windowMs - t) / 1000)),
});

export class PingLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db, private readonly opts: { flushMs?: number; autoFlush?: boolean } = {}) {}

  /** Counts one hit under `key` and says whether it is allowed (the contract of hitRateLimit). */
  async hit(key: string, limit: RateLimit, now: Date): Promise<RateLimitResult> {
    const t = now.getTime();
    let b = this.buckets.get(key);
    if (b && t >= (b.started ?? b.pendingSince) + b.limit.windowMs) {
      // The window is over (for everyone: its start is the shared row's). Unwritten hits of it
      // would only inflate the next one.
      b = undefined;
    }
    if (!b) {
      b = { limit, started: null, shared: 0, pending: 0, writing: 0, pendingSince: t };
      this.buckets.set(key, b);
    }
    b.limit = limit;
    if (b.started !== null && b.shared >= limit.max) {
      this.add(b, t); // still counted, as hitRateLimit counts refused hits
      return refusal(b, t);
    }
    const estimate = b.shared + b.pending + b.writing + 1;
    if (estimate * 2 <= limit.max) {
      this.add(b, t);
      return { ok: true, remaining: limit.max - estimate };
    }
    // Near the limit: the shared row decides, with this process's unwritten hits and this one.
    const delta = b.pending + 1;
    const at = b.pending ? b.pendingSince : t;
    b.pending = 0;
    b.writing += delta;
    let row: { count: number; started: number } | undefined;
    try {
      row = (await addHits(this.db, [{ key, delta, at }], limit.windowMs)).get(key);
    } catch (e) {
      b.pending += delta - 1;
      throw e;
    } finally {
      b.writing -= delta;
    }
    if (!row) throw new Error('rate limit upsert returned no row');
    if (this.buckets.get(key) === b) learn(b, row);
    if (row.count <= limit.max) return { ok: true, remaining: limit.max - row.count };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((row.started + limit.windowMs - t) / 1000)) };
  }

  private add(b: Bucket, t: number): void {
    if (b.pending === 0) b.pendingSince = t;
    b.pending++;
    if (this.opts.autoFlush !== false && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush().catch((e) => this.complain(e));
      }, this.opts.flushMs ?? FLUSH_MS);
      this.timer.unref?.();
    }
  }

  private complained = 0;

  /** A database outage would fail every batch: say so once a minute, not four times a second. */
  private complain(e: unknown): void {
    if (Date.now() - this.complained < 60_000) return;
    this.complained = Date.now();
    console.error('[ping rate limits] writing the counts failed (kept, retried with the next batch):', e instanceof Error ? e.message : e);
  }

  /** Writes every bucket's unwritten hits (one statement per window length) and forgets ended windows. */
  flush(now: Date = new Date()): Promise<void> {
    const run = this.flushing.then(() => this.flushNow(now.getTime()));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async flushNow(t: number): Promise<void> {
    const byWindow = new Map<number, { key: string; b: Bucket; delta: number }[]>();
    for (const [key, b] of this.buckets) {
      if (b.pending > 0) {
        const list = byWindow.get(b.limit.windowMs) ?? [];
        list.push({ key, b, delta: b.pending });
        byWindow.set(b.limit.windowMs, list);
      } else if (t >= (b.started ?? b.pendingSince) + b.limit.windowMs) {
        this.buckets.delete(key);
      }
    }
    let failed: unknown = null;
    for (const [windowMs, list] of byWindow) {
      const rows = list.map((e) => ({ key: e.key, delta: e.delta, at: e.b.pendingSince }));
      for (const e of list) {
        e.b.pending -= e.delta; // hits that arrive meanwhile stay pending
        e.b.writing += e.delta;
      }
      try {
        const answered = await addHits(this.db, rows, windowMs);
        for (const e of list) {
          e.b.writing -= e.delta;
          const row = answered.get(e.key);
          if (row && this.buckets.get(e.key) === e.b) learn(e.b, row);
        }
      } catch (err) {
        for (const e of list) {
          e.b.writing -= e.delta;
          e.b.pending += e.delta;
        }
        failed = err;
      }
    }
    if (failed) throw failed;
  }

  /** For tests: what this process knows of a bucket. */
  peek(key: string): { shared: number; pending: number; writing: number; started: number | null } | undefined {
    const b = this.buckets.get(key);
    return b && { shared: b.shared, pending: b.pending, writing: b.writing, started: b.started };
  }
}

// One per database handle (tests open several; the server has one). On globalThis: each route is
// bundled separately but shares the process.
const g = globalThis as unknown as { __stewardPingLimiters?: WeakMap<Db, PingLimiter> };

export function pingLimiter(db: Db): PingLimiter {
  const all = (g.__stewardPingLimiters ??= new WeakMap());
  let l = all.get(db);
  if (!l) {
    l = new PingLimiter(db);
    all.set(db, l);
  }
  return l;
}

/**
 * The limiter of a handle that ends, such as the transaction `steward demo` runs in: it never
 * writes on a timer (a batch fired after the commit failed on the closed transaction, and one
 * fired meanwhile ran beside the owner's own queries on its connection); the owner calls
 * `flush()` before the handle ends.
 */
export function manualPingLimiter(db: Db): PingLimiter {
  const l = new PingLimiter(db, { autoFlush: false });
  (g.__stewardPingLimiters ??= new WeakMap()).set(db, l);
  return l;
}
