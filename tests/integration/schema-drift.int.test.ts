/**
 * The migrations are written by hand, so this test guards against drift: the migrated database
 * must have exactly the tables, columns, types and nullability that schema.prisma describes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './helpers';

interface Column { table: string; column: string; type: string; nullable: boolean }

const SCALARS: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Json: 'jsonb',
  DateTime: 'timestamp without time zone',
  Bytes: 'bytea',
};

/** A small reader of our own schema.prisma: models, @@map, @map, ?, [] and @db.* types. */
function expectedColumns(schema: string): Column[] {
  const cols: Column[] = [];
  const models = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
  const modelNames = new Set(models.map((m) => m[1]));
  for (const [, name, body] of models) {
    const table = /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? name!;
    for (const line of body!.split('\n')) {
      const m = /^\s+(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line);
      if (!m || m[1]!.startsWith('@@')) continue;
      const [, field, type, modifier, attrs] = m;
      if (modelNames.has(type!) || attrs!.includes('@relation')) continue; // relation fields have no column
      let pgType = SCALARS[type!];
      if (!pgType) throw new Error(`schema-drift test does not know Prisma type ${type}`);
      if (attrs!.includes('@db.Timestamptz')) pgType = 'timestamp with time zone';
      if (attrs!.includes('@db.Date')) pgType = 'date';
      if (modifier === '[]') pgType = `${pgType}[]`;
      const column = /@map\("([^"]+)"\)/.exec(attrs!)?.[1] ?? field!;
      // Prisma creates scalar lists without NOT NULL.
      cols.push({ table, column, type: pgType, nullable: modifier === '?' || modifier === '[]' });
    }
  }
  return cols.sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

let h: TestDb;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

describe('schema drift', () => {
  it('the migrated database matches schema.prisma (tables, columns, types, nullability)', async () => {
    const schema = fs.readFileSync(path.join(process.cwd(), 'prisma', 'schema.prisma'), 'utf8');
    const expected = expectedColumns(schema);
    const rows = await h.db.$queryRawUnsafe<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string }[]>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual: Column[] = rows
      .map((r) => ({
        table: r.table_name,
        column: r.column_name,
        type: r.data_type === 'ARRAY' ? `${SCALARS[{ _text: 'String', _int4: 'Int', _float8: 'Float' }[r.udt_name] ?? ''] ?? r.udt_name}[]` : r.data_type,
        nullable: r.is_nullable === 'YES',
      }))
      .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
    expect(expected.length).toBeGreaterThan(40);
    expect(actual).toEqual(expected);
  });

  it('records every migration in _prisma_migrations with the SHA-256 of its file', async () => {
    const { checksumOf, readMigrations } = await import('@/lib/db/migrate');
    const files = readMigrations(path.join(process.cwd(), 'prisma', 'migrations'));
    const rows = await h.db.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null }[]>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const f of files) {
      const raw = fs.readFileSync(path.join(process.cwd(), 'prisma', 'migrations', f.name, 'migration.sql'));
      expect(rows.find((r) => r.migration_name === f.name)?.checksum).toBe(checksumOf(raw.toString('utf8')));
      expect(rows.find((r) => r.migration_name === f.name)?.finished_at).not.toBeNull();
    }
  });
});
