/**
 * Steward's migrator. Prisma Migrate needs a native engine these machines cannot download, so
 * Steward applies the SQL files in prisma/migrations itself, in Prisma's layout and bookkeeping:
 * each migration is recorded in `_prisma_migrations` with Prisma's checksum (SHA-256 of the file),
 * so `prisma migrate deploy` on a machine with the engine sees them as applied.
 *
 * Safety:
 * - a Postgres advisory lock serialises concurrent migrators (two instances starting together
 *   apply each migration exactly once: the second waits, then re-reads what is applied);
 * - each migration and its record commit in one transaction, so a failure leaves nothing behind;
 * - an applied migration whose file changed is refused: migrations are append-only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The little SQL surface the migrator needs; implemented by a pg.Client and by PGlite. */
export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<void>;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

// Arbitrary but fixed: every Steward instance uses the same key.
const ADVISORY_LOCK_KEY = 727_073_690;

const MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function checksumOf(sql: string): string {
  return crypto.createHash('sha256').update(sql).digest('hex');
}

/** Reads prisma/migrations/<timestamp>_<name>/migration.sql in name order. */
export function readMigrations(dir: string): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`Migrations folder not found: ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      const sql = fs.readFileSync(file, 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Applies every pending migration. Throws MigrationError naming the migration on any problem. */
export async function migrate(runner: SqlRunner, migrations: MigrationFile[]): Promise<MigrateResult> {
  await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
  try {
    await runner.exec(MIGRATIONS_TABLE);
    const { rows } = await runner.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const byName = new Map(rows.map((r) => [r.migration_name, r]));
    for (const row of rows) {
      if (row.finished_at === null) {
        throw new MigrationError(
          `Migration ${row.migration_name} is recorded as started but not finished (a failed run of another tool?). ` +
            `Inspect the database, then mark it rolled back or finished in _prisma_migrations.`,
        );
      }
    }
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      const done = byName.get(m.name);
      if (done) {
        if (done.checksum !== m.checksum) {
          throw new MigrationError(
            `Migration ${m.name} was already applied, but its file has changed since ` +
              `(applied checksum ${done.checksum.slice(0, 12)}…, file checksum ${m.checksum.slice(0, 12)}…). ` +
              `Applied migrations must never be edited: restore the file and add a new migration instead.`,
          );
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      await runner.exec('BEGIN');
      try {
        await runner.exec(m.sql);
        await runner.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await runner.exec('COMMIT');
      } catch (e) {
        await runner.exec('ROLLBACK').catch(() => undefined);
        throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(e as Error).message}`);
      }
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
  }
}
