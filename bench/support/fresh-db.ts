/** Benchmarks run on a fresh PostgreSQL database, created for the run and dropped after it. */
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DbHandle } from '@/lib/db/client';

export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export const benchActors = {
  cli: { type: 'cli' as const, id: null, label: 'cli:bench', origin: 'cli' as const },
  ci: { type: 'token' as const, id: 'bench', label: 'token:bench', scopes: ['ingest' as const], origin: null },
};

/** p-quantile of a list by rank (for timings). */
export const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

export async function withFreshDatabase<T>(fn: (h: DbHandle, url: string) => Promise<T>): Promise<T> {
  const name = `steward_bench_${crypto.randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  const h = await openDatabase({ url: url.toString(), poolSize: 4 });
  try {
    return await fn(h, url.toString());
  } finally {
    await h.close();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  }
}
