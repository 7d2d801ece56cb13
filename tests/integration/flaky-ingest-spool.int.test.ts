// Ingest in bounded memory (issue 9, "peak server memory under 300 MB for a 200 MB file"): cases
// spooled to disk past a limit and stored in batches must give exactly what the in-memory path
// gives — for every producer's fixture, for retries far apart in the file, for the
// infrastructure guard decided only at the end, for more than 1,000 failing tests — and a
// rejected request must leave nothing behind, neither rows nor spool files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { ingestResults, type UploadMeta } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { reparseUpload } from '@/lib/services/flaky/reparse';
import { bytes, junitXml, type CaseSpec } from '../support/junit-xml';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
let spoolDir: string;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const FIXTURES = path.join(process.cwd(), 'lib/engine/flaky/junit/fixtures');

/** Ingest one file into `project`, spooling past `memory` entries (undefined = the default 20,000). */
const ingest = (project: string, name: string, data: Uint8Array, meta: UploadMeta, memory?: number, at = T0) =>
  ingestResults(h.db, ci, { project, meta, files: [{ name, chunks: chunksOf(data, 4096) }] }, { now: new Date(at), spoolDir, spoolMemoryEntries: memory });

/** The stored results of an upload in a comparable form. */
async function rows(uploadId: string) {
  const r = await h.db.testResult.findMany({ where: { uploadId }, include: { test: true } });
  return r
    .map((x) => [x.test.key, x.variant, x.outcome, x.attempts, x.failedAttempts, x.durationMs, x.retryMs, x.message, x.synthetic, x.infra, x.runKey].map((v) => String(v)).join(' | '))
    .sort();
}

const spoolEntries = () => fs.readdirSync(spoolDir);
const projectId = async (key: string) => (await h.db.project.findUniqueOrThrow({ where: { key } })).id;

beforeAll(async () => {
  h = await createTestDb();
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-spool-test-'));
  for (const key of ['mem', 'spool', 'far', 'infra', 'many', 'reject']) await createProject(h.db, cli, { key, name: key }, new Date(T0));
});
afterEach(() => {
  // Every ingest, stored or refused, removes its spool directory.
  expect(spoolEntries()).toEqual([]);
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

describe('spooled ingest gives what the in-memory ingest gives', () => {
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => /\.(xml|trx)$/.test(f)).sort();

  it.each(fixtures)('%s: same counts, flags and stored rows with every entry spooled', async (name) => {
    const data = new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
    const meta = { commit: name, branch: 'main', runId: name, job: 'j' };
    const inMemory = await ingest('mem', name, data, meta);
    const spooled = await ingest('spool', name, data, meta, 1);
    expect(spooled.uploads[0]!.counts).toEqual(inMemory.uploads[0]!.counts);
    expect(spooled.uploads[0]!.infra).toBe(inMemory.uploads[0]!.infra);
    expect(spooled.failingTotal).toBe(inMemory.failingTotal);
    expect(spooled.failing.map((f) => f.key).sort()).toEqual(inMemory.failing.map((f) => f.key).sort());
    const stored = await rows(spooled.uploads[0]!.id);
    expect(stored.length).toBe(inMemory.uploads[0]!.counts.passed + inMemory.uploads[0]!.counts.failed + inMemory.uploads[0]!.counts.errors + inMemory.uploads[0]!.counts.skipped + inMemory.uploads[0]!.counts.flaky);
    expect(stored).toEqual(await rows(inMemory.uploads[0]!.id));
    const [a, b] = await Promise.all([spooled.uploads[0]!.id, inMemory.uploads[0]!.id].map((id) => h.db.testUpload.findUniqueOrThrow({ where: { id } })));
    expect({ ...a, id: '', projectId: '', dedupeKey: '' }).toEqual({ ...b, id: '', projectId: '', dedupeKey: '' });
  });
});

describe('retries far apart in a spooled file', () => {
  // gotestsum --rerun-fails appends re-runs after the whole package: the entries of one test are
  // thousands of entries apart, the first ones already on disk when the last ones arrive.
  const cases: CaseSpec[] = [
    { name: 'early_then_pass', attempts: ['fail'] },
    { name: 'fails_twice', attempts: ['fail'] },
    ...Array.from({ length: 3000 }, (_, i) => ({ name: `t${i}` })),
    { name: 'early_then_pass', attempts: ['pass'], time: 2 },
    { name: 'fails_twice', attempts: ['error'] },
  ];

  it('groups them into one result each, with every attempt', async () => {
    const r = await ingest('far', 'go.xml', bytes(junitXml(cases)), { commit: 'c1', branch: 'main', runId: 'r1' }, 100);
    expect(r.uploads[0]!.counts).toEqual({ tests: 3002, passed: 3000, failed: 0, errors: 1, skipped: 0, flaky: 1, attempts: 3004 });
    const byName = new Map((await h.db.testResult.findMany({ where: { uploadId: r.uploads[0]!.id }, include: { test: true } })).map((x) => [x.test.name, x]));
    expect(byName.size).toBe(3002);
    expect(byName.get('early_then_pass')).toMatchObject({ outcome: 'flaky', attempts: 2, failedAttempts: 1, retryMs: 500, durationMs: 2500 });
    expect(byName.get('fails_twice')).toMatchObject({ outcome: 'error', attempts: 2, failedAttempts: 2 });
    expect(r.failing.map((f) => f.name)).toEqual(['fails_twice']);
  });
});

describe('decided at the end', () => {
  it('the infrastructure guard marks every stored row of a spooled upload', async () => {
    const cases: CaseSpec[] = [...Array.from({ length: 81 }, (_, i) => ({ name: `f${i}`, attempts: ['fail' as const] })), ...Array.from({ length: 19 }, (_, i) => ({ name: `p${i}` }))];
    const r = await ingest('infra', 'infra.xml', bytes(junitXml(cases)), { commit: 'c1', runId: 'r1' }, 10);
    expect(r.uploads[0]).toMatchObject({ infra: true, counts: { tests: 100, failed: 81, passed: 19 } });
    expect(await h.db.testResult.count({ where: { uploadId: r.uploads[0]!.id, infra: false } })).toBe(0);
    expect(await h.db.testResult.count({ where: { uploadId: r.uploads[0]!.id, infra: true } })).toBe(100);
    const day = await h.db.testDailyStat.findFirstOrThrow({ where: { projectId: await projectId('infra') } });
    expect(day).toMatchObject({ results: 0, failed: 0, infra: 1 }); // kept out of the flake statistics

    // Exactly 80 % failing is not infra: every row stays unmarked.
    const edge: CaseSpec[] = [...Array.from({ length: 80 }, (_, i) => ({ name: `f${i}`, attempts: ['fail' as const] })), ...Array.from({ length: 20 }, (_, i) => ({ name: `p${i}` }))];
    const e = await ingest('infra', 'edge.xml', bytes(junitXml(edge)), { commit: 'c2', runId: 'r2' }, 10);
    expect(e.uploads[0]!.infra).toBe(false);
    expect(await h.db.testResult.count({ where: { uploadId: e.uploads[0]!.id, infra: true } })).toBe(0);
  });

  it('more than 1,000 failing tests: the first 1,000 listed, the total counted exactly', async () => {
    const cases: CaseSpec[] = [...Array.from({ length: 1234 }, (_, i) => ({ name: `f${i}`, attempts: ['fail' as const] })), ...Array.from({ length: 5000 }, (_, i) => ({ name: `p${i}` }))];
    const r = await ingest('many', 'many.xml', bytes(junitXml(cases)), { commit: 'c1', runId: 'r1' }, 500);
    expect(r.failing).toHaveLength(1000);
    expect(r.failing[0]!.name).toBe('f0');
    expect(r.failing[999]!.name).toBe('f999');
    expect(r.failingTotal).toBe(1234);
    // The same file again is a duplicate: nothing stored twice, its failures still reported.
    const again = await ingest('many', 'many.xml', bytes(junitXml(cases)), { commit: 'c1', runId: 'r1' }, 500);
    expect(again.uploads[0]).toMatchObject({ duplicate: true, id: r.uploads[0]!.id, counts: r.uploads[0]!.counts });
    expect(again.failingTotal).toBe(1234);
    expect(await h.db.testResult.count({ where: { projectId: await projectId('many') } })).toBe(6234);
  });

  it('re-parsing a spooled upload replaces its rows with the same ones', async () => {
    const cases: CaseSpec[] = Array.from({ length: 300 }, (_, i) => ({ name: `r${i}`, attempts: i % 7 === 0 ? ['fail', 'pass'] : ['pass'] }));
    const r = await ingest('far', 'reparse.xml', bytes(junitXml(cases)), { commit: 'c9', runId: 'r9' }, 10);
    const before = await rows(r.uploads[0]!.id);
    const again = await reparseUpload(h.db, cli, r.uploads[0]!.id, { now: new Date(T0 + 1000), spoolDir });
    expect(again.changed).toBe(false);
    expect(again.after).toEqual({ ...r.uploads[0]!.counts, infra: false });
    expect(await rows(r.uploads[0]!.id)).toEqual(before);
  });
});

describe('a rejected request leaves nothing behind', () => {
  it('a bad second file after a big spooled first one: no rows, no upload, no spool file', async () => {
    const good = bytes(junitXml(Array.from({ length: 2000 }, (_, i) => ({ name: `g${i}` }))));
    const bad = bytes(`${junitXml(Array.from({ length: 2000 }, (_, i) => ({ name: `b${i}` }))).replace('</testsuite>', '')}<testcase name="x">`);
    const e = await serviceError(() =>
      ingestResults(h.db, ci, { project: 'reject', meta: { commit: 'c1' }, files: [{ name: 'good.xml', chunks: chunksOf(good) }, { name: 'bad.xml', chunks: chunksOf(bad) }] }, { now: new Date(T0), spoolDir, spoolMemoryEntries: 10 }),
    );
    expect(e.code).toBe('invalid');
    expect(e.message).toMatch(/^Rejected, nothing stored: bad\.xml:\d+:\d+: /);
    expect(await h.db.testUpload.count({ where: { project: { key: 'reject' } } })).toBe(0);
    expect(await h.db.testCase.count({ where: { project: { key: 'reject' } } })).toBe(0);
  });

  it('a spool directory that cannot be created refuses the upload and stores nothing', async () => {
    const blocker = path.join(spoolDir, '..', `steward-spool-blocker-${process.pid}`);
    fs.writeFileSync(blocker, 'a file where the directory should be');
    try {
      const data = bytes(junitXml(Array.from({ length: 50 }, (_, i) => ({ name: `s${i}` }))));
      await expect(ingestResults(h.db, ci, { project: 'reject', meta: { commit: 'c2' }, files: [{ name: 'x.xml', chunks: chunksOf(data) }] }, { now: new Date(T0), spoolDir: path.join(blocker, 'tmp'), spoolMemoryEntries: 10 })).rejects.toThrow(
        /could not spool the upload to disk \((ENOTDIR|EEXIST)\); the upload was not stored/,
      );
      expect(await h.db.testUpload.count({ where: { project: { key: 'reject' } } })).toBe(0);
    } finally {
      fs.rmSync(blocker, { force: true });
    }
  });
});
