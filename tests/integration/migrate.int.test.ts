import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { checksumOf, migrate, MigrationError, readMigrations, type MigrationFile, type SqlRunner } from '@/lib/db/migrate';
import { createEmptyPostgresDatabase, NEEDS_POSTGRES, usingPostgres } from './helpers';

const real = readMigrations(path.join(process.cwd(), 'prisma', 'migrations'));

function fake(name: string, sql: string): MigrationFile {
  return { name, sql, checksum: checksumOf(sql) };
}

function pgliteRunner(db: PGlite): SqlRunner {
  return { query: async (s, p) => ({ rows: (await db.query(s, p)).rows as never[] }), exec: async (s) => void (await db.exec(s)) };
}

describe('migrator (embedded)', () => {
  it('applies pending migrations once and nothing on a second run', async () => {
    const db = await PGlite.create();
    const first = await migrate(pgliteRunner(db), real);
    expect(first.applied).toEqual(real.map((m) => m.name));
    const second = await migrate(pgliteRunner(db), real);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(real.map((m) => m.name));
    await db.close();
  });

  it('refuses an applied migration whose file changed, naming it', async () => {
    const db = await PGlite.create();
    const r = pgliteRunner(db);
    await migrate(r, [fake('20260101000000_a', 'CREATE TABLE a (id int);')]);
    await expect(migrate(r, [fake('20260101000000_a', 'CREATE TABLE a (id bigint);')])).rejects.toThrow(/20260101000000_a was already applied, but its file has changed/);
    await db.close();
  });

  it('rolls back a failing migration completely and records nothing', async () => {
    const db = await PGlite.create();
    const r = pgliteRunner(db);
    const bad = fake('20260101000001_bad', 'CREATE TABLE half (id int); SELECT no_such_function();');
    await expect(migrate(r, [bad])).rejects.toBeInstanceOf(MigrationError);
    const tables = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half'");
    expect(tables.rows[0]?.n).toBe(0);
    const recorded = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(recorded.rows[0]?.n).toBe(0);
    await db.close();
  });

  it('refuses to run while a migration is recorded as started but not finished, naming it; a rolled-back one is ignored', async () => {
    const db = await PGlite.create();
    const r = pgliteRunner(db);
    const a = fake('20260101000000_a', 'CREATE TABLE a (id int);');
    const b = fake('20260102000000_b', 'CREATE TABLE b (id int);');
    await migrate(r, [a]);
    // Another tool (prisma migrate deploy) died half-way through b: started, never finished.
    await db.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('x1', $1, $2, now(), NULL, 0)`, [b.checksum, b.name]);
    const err = await migrate(r, [a, b]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/^Migration 20260102000000_b is recorded as started but not finished/);
    const tables = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'b'");
    expect(tables.rows[0]?.n).toBe(0); // nothing was applied

    // Once an operator marks it rolled back, the migration is applied normally.
    await db.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = 'x1'`);
    expect(await migrate(r, [a, b])).toEqual({ applied: [b.name], alreadyApplied: [a.name] });
    await db.close();
  });

  it('reads only <14 digits>_<name> folders, in order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    for (const n of ['20260102000000_b', '20260101000000_a', 'notes', 'README.md']) {
      fs.mkdirSync(path.join(dir, n), { recursive: true });
      fs.writeFileSync(path.join(dir, n, 'migration.sql'), `-- ${n}`);
    }
    expect(readMigrations(dir).map((m) => m.name)).toEqual(['20260101000000_a', '20260102000000_b']);
  });
});

describe('migrator (PostgreSQL, concurrent instances)', () => {
  it('two instances migrating at once apply each migration exactly once', async ({ skip }) => {
    if (!usingPostgres) skip(NEEDS_POSTGRES);
    const { url, drop } = await createEmptyPostgresDatabase();
    const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const runner = (c: pg.Client): SqlRunner => ({ query: async (s, p) => ({ rows: (await c.query(s, p)).rows }), exec: async (s) => void (await c.query(s)) });
      const results = await Promise.all(clients.map((c) => migrate(runner(c), real)));
      const appliedCounts = real.map((m) => results.filter((r) => r.applied.includes(m.name)).length);
      expect(appliedCounts).toEqual(real.map(() => 1));
      const rows = await clients[0]!.query('SELECT migration_name FROM "_prisma_migrations"');
      expect(rows.rows.map((r) => r.migration_name).sort()).toEqual(real.map((m) => m.name));
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await drop();
    }
  });
});
