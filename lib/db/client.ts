/**
 * The one database module. It owns the Prisma client and the choice of connection:
 * PostgreSQL when DATABASE_URL is set, otherwise an embedded PGlite database under the data
 * directory (guarded by an exclusive lock file). Migrations are applied when a client opens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { getEnv } from '@/lib/env';
import { PrismaClient } from './generated/client';
import { acquireDataDirLock } from './lock';
import { migrate, readMigrations, type MigrateResult, type SqlRunner } from './migrate';

export type Db = PrismaClient;

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'embedded';
  /** Human description without secrets, e.g. "PostgreSQL at 127.0.0.1:5432/steward". */
  describe: string;
  migration: MigrateResult | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL connection string. Takes precedence over dataDir. */
  url?: string;
  /** Embedded data directory, or 'memory' for a throw-away in-memory database (tests). */
  dataDir?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  migrationsDir?: string;
  poolSize?: number;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

function pgliteRunner(db: PGlite): SqlRunner {
  return {
    query: async (sql, params) => ({ rows: (await db.query(sql, params)).rows as never[] }),
    exec: async (sql) => {
      await db.exec(sql);
    },
  };
}

function pgRunner(client: pg.Client): SqlRunner {
  return {
    query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }),
    exec: async (sql) => {
      await client.query(sql);
    },
  };
}

/** Opens a database (and migrates it). The caller owns the handle and must close it. */
export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  const migrationsDir = opts.migrationsDir ?? path.join(getEnv().home, 'prisma', 'migrations');
  const shouldMigrate = opts.migrate ?? true;

  if (opts.url) {
    let migration: MigrateResult | null = null;
    if (shouldMigrate) {
      // A dedicated connection: the advisory lock belongs to one session.
      const client = new pg.Client({ connectionString: opts.url });
      await client.connect();
      try {
        migration = await migrate(pgRunner(client), readMigrations(migrationsDir));
      } finally {
        await client.end();
      }
    }
    const adapter = new PrismaPg({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    const db = new PrismaClient({ adapter });
    return { db, kind: 'postgres', describe: redactUrl(opts.url), migration, close: () => db.$disconnect() };
  }

  const dataDir = opts.dataDir ?? path.join(getEnv().dataDir);
  let release = () => {};
  let pglite: PGlite;
  if (dataDir === 'memory') {
    pglite = await PGlite.create();
  } else {
    // PGlite.create does not create parent directories.
    fs.mkdirSync(dataDir, { recursive: true });
    release = acquireDataDirLock(path.join(dataDir, 'pglite.lock'));
    try {
      pglite = await PGlite.create(path.join(dataDir, 'pglite'));
    } catch (e) {
      release();
      throw e;
    }
  }
  let migration: MigrateResult | null = null;
  try {
    if (shouldMigrate) migration = await migrate(pgliteRunner(pglite), readMigrations(migrationsDir));
  } catch (e) {
    await pglite.close().catch(() => undefined);
    release();
    throw e;
  }
  const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  let closed = false;
  return {
    db,
    kind: 'embedded',
    describe: dataDir === 'memory' ? 'embedded PGlite (in memory)' : `embedded PGlite in ${dataDir}`,
    migration,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.$disconnect().catch(() => undefined);
      await pglite.close().catch(() => undefined);
      release();
    },
  };
}

// The process-wide handle lives on globalThis so `next dev` reloads reuse it (a second PGlite
// on the same directory would be refused by the lock).
const g = globalThis as unknown as { __stewardDb?: Promise<DbHandle> };

/** The process-wide database, opened from the environment on first use. */
export function getDbHandle(): Promise<DbHandle> {
  if (!g.__stewardDb) {
    const env = getEnv();
    g.__stewardDb = openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir, poolSize: env.STEWARD_DB_POOL_SIZE });
    g.__stewardDb.catch(() => {
      g.__stewardDb = undefined;
    });
  }
  return g.__stewardDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Closes the process-wide database if it was opened. */
export async function closeDb(): Promise<void> {
  const p = g.__stewardDb;
  g.__stewardDb = undefined;
  if (p) await (await p.catch(() => null))?.close();
}
