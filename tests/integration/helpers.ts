/**
 * Integration tests run against a fresh database per test file: a new database on the server in
 * TEST_DATABASE_URL when it is set (CI), otherwise an in-memory embedded PGlite, so `npm test`
 * passes on a machine with no database server.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { openDatabase, type DbHandle } from '@/lib/db/client';
import { ServiceError } from '@/lib/services/errors';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Skip note of the tests that need a PostgreSQL server (several processes on one database): on
 * embedded PGlite they are reported as skipped, with this reason, never silently left out.
 */
export const NEEDS_POSTGRES = 'needs PostgreSQL: set TEST_DATABASE_URL (embedded PGlite is one process, one connection)';

export interface TestDb extends DbHandle {
  /** Connection string of the fresh database (Postgres only). */
  url: string | null;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database (Postgres) without migrating it. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `steward_it_${crypto.randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  return {
    url: withDatabase(admin, name),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await d.end();
    },
  };
}

export async function createTestDb(): Promise<TestDb> {
  if (!usingPostgres) {
    const h = await openDatabase({ dataDir: 'memory' });
    return { ...h, url: null };
  }
  const { url, drop } = await createEmptyPostgresDatabase();
  const h = await openDatabase({ url, poolSize: 4 });
  return {
    ...h,
    url,
    close: async () => {
      await h.close();
      await drop();
    },
  };
}

/** Runs `fn`, expects it to reject with a ServiceError, and returns that error. */
export async function serviceError(fn: () => Promise<unknown>): Promise<ServiceError> {
  const e = await fn().then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ServiceError);
  return e as ServiceError;
}
