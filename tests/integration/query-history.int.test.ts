// Prisma's debug module keeps the arguments of its last 100 debug calls, debugging on or off, and
// the pg driver adapter logs each query with its parameters (lib/db/query-history.ts). Bulk
// writers clear it after each batch, or a big upload's rows stay in memory after they are stored.
// These check that the history the adapter writes into is the one forgetQueryHistory clears (the
// pinned @prisma/debug is the adapter's instance), and that an ingest leaves none of its rows in it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetQueryHistory, queryHistoryText } from '@/lib/db/query-history';
import type { Actor } from '@/lib/services/actor';
import { ingestResults } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { bytes, junitXml } from '../support/junit-xml';
import { createTestDb, NEEDS_POSTGRES, usingPostgres, type TestDb } from './helpers';

let h: TestDb;
let spoolDir: string;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;

beforeAll(async () => {
  h = await createTestDb();
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-history-test-'));
  await createProject(h.db, cli, { key: 'hist', name: 'hist' });
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

// PGlite's adapter (pglite-prisma-adapter) brings its own older @prisma/debug, a separate history.
describe.skipIf(!usingPostgres)(`the pg adapter's debug history (${usingPostgres ? 'PostgreSQL' : NEEDS_POSTGRES})`, () => {
  it('holds a query parameter after the query, and not after forgetQueryHistory', async () => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;
    await h.db.$queryRawUnsafe('SELECT $1::text AS v', marker);
    expect(queryHistoryText()).toContain(marker);
    forgetQueryHistory();
    expect(queryHistoryText()).not.toContain(marker);
  });

  it("an ingest's test names are not left in it", async () => {
    const name = `uniq_${Math.random().toString(36).slice(2)}`;
    const cases = Array.from({ length: 1500 }, (_, i) => ({ name: `${name}_${i}` }));
    const r = await ingestResults(h.db, ci, { project: 'hist', meta: { commit: 'c1', branch: 'main' }, files: [{ name: 'a.xml', chunks: chunksOf(bytes(junitXml(cases)), 4096) }] }, { now: new Date(), spoolDir });
    expect(r.totals.passed).toBe(1500);
    // Both batches (1,000 + 500) were cleared; the later queries carry no test names.
    expect(queryHistoryText()).not.toContain(name);
  });
});
