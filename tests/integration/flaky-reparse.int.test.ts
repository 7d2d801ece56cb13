// Re-parsing stored raw uploads against a real database (issue 9): idempotent (same rows, no
// duplicates, same day aggregate), a stored parse that an old parser got wrong is corrected
// exactly, and every refusal or failure (raw gone, raw not matching, parser rejects, results
// pruned, a database error mid-way, another project's token) leaves everything as it was.
import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { ingestResults } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { reparseCandidates, reparseUpload } from '@/lib/services/flaky/reparse';
import { bytes, junitXml, type CaseSpec } from '../support/junit-xml';
import { createTestDb, serviceError, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:reparse', origin: 'cli' };
const ci: Actor = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null };
const T0 = Date.parse('2026-06-01T10:00:00Z');
const CASES: CaseSpec[] = [
  { name: 'a' }, { name: 'b', attempts: ['fail', 'pass'], time: 1.25 }, { name: 'c', attempts: ['fail', 'fail'] }, { name: 'd', attempts: ['skip'] }, { name: 'e', attempts: ['error'] },
];
let uploadId = '';
let projectId = '';

const send = (cases: CaseSpec[], runId: string, opts: { rawDays?: number; project?: string } = {}) =>
  ingestResults(h.db, ci, { project: opts.project ?? 'alpha', meta: { commit: 'c1', branch: 'main', runId, job: 'unit' }, files: [{ name: 'junit.xml', chunks: chunksOf(bytes(junitXml(cases))) }] }, { now: new Date(T0), rawDays: opts.rawDays });
/** Everything a re-parse may touch, without row ids. */
const snapshot = async (id = uploadId) => ({
  upload: await h.db.testUpload.findUniqueOrThrow({ where: { id }, omit: { raw: true } }),
  results: (await h.db.testResult.findMany({ where: { uploadId: id }, omit: { id: true }, include: { test: { select: { name: true } } } })).sort((x, y) => x.test.name.localeCompare(y.test.name)),
  days: await h.db.testDailyStat.findMany({ where: { projectId }, orderBy: { day: 'asc' } }),
  tests: await h.db.testCase.count(),
  allResults: await h.db.testResult.count(),
});
const reparseAudit = () => h.db.auditEvent.findMany({ where: { action: 'tests.reparse' }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  h = await createTestDb();
  await createProject(h.db, cli, { key: 'alpha', name: 'alpha' });
  await createProject(h.db, cli, { key: 'beta', name: 'beta' });
  projectId = (await h.db.project.findUniqueOrThrow({ where: { key: 'alpha' } })).id;
  uploadId = (await send(CASES, 'r1')).uploads[0]!.id;
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.db.auditEvent.deleteMany({ where: { action: 'tests.reparse' } });
});

describe('reparseUpload', () => {
  it('is idempotent: the same rows (no duplicates), counts and day aggregate; audited', async () => {
    const before = await snapshot();
    expect(before.results).toHaveLength(5);
    // The kept raw copy is the whole file (it used to lose its gzip tail: only the header was stored).
    expect(zlib.gunzipSync((await h.db.testUpload.findUniqueOrThrow({ where: { id: uploadId } })).raw!).toString()).toBe(junitXml(CASES));
    for (let i = 0; i < 2; i++) {
      const r = await reparseUpload(h.db, cli, uploadId, { now: new Date(T0 + 3_600_000) });
      expect(r).toMatchObject({ uploadId, changed: false, before: { tests: 5, passed: 1, flaky: 1, failed: 1, errors: 1, skipped: 1, infra: false } });
      expect(await snapshot()).toEqual(before);
    }
    expect((await reparseAudit()).map((a) => [a.actorLabel, a.targetType, a.targetId, a.summary])).toEqual([
      ['cli:reparse', 'upload', uploadId, 'Re-parsed junit.xml (alpha): 5 → 5 tests, 2 → 2 failed, 1 → 1 flaky'],
      ['cli:reparse', 'upload', uploadId, 'Re-parsed junit.xml (alpha): 5 → 5 tests, 2 → 2 failed, 1 → 1 flaky'],
    ]);
  });

  it('corrects a stored parse that an older parser got wrong (a case dropped, a flaky read as passed), exactly', async () => {
    const truth = await snapshot();
    const byName = (n: string) => truth.results.find((r) => r.test.name === n)!;
    // What a buggy parser would have stored: no result for "e", "b" as a plain pass; counts and
    // the day's aggregate as ingest would have added them.
    await h.db.$transaction(async (tx) => {
      await tx.testResult.deleteMany({ where: { uploadId, testId: byName('e').testId } });
      await tx.testResult.updateMany({ where: { uploadId, testId: byName('b').testId }, data: { outcome: 'passed', attempts: 1, failedAttempts: 0, retryMs: 0 } });
      await tx.testUpload.update({ where: { id: uploadId }, data: { tests: 4, errors: 0, flaky: 0, passed: 2, attempts: 5 } });
      await tx.testDailyStat.updateMany({ where: { projectId }, data: { results: { decrement: 1 }, errors: { decrement: 1 }, flaky: { decrement: 1 }, passed: { increment: 1 }, retryMs: { decrement: byName('b').retryMs } } });
    });
    const r = await reparseUpload(h.db, cli, uploadId, { now: new Date(T0 + 7_200_000) });
    expect(r).toMatchObject({ changed: true, before: { tests: 4, passed: 2, flaky: 0, errors: 0, attempts: 5 }, after: { tests: 5, passed: 1, flaky: 1, errors: 1, attempts: 7 } });
    expect(r.evaluation.evaluated).toBeGreaterThanOrEqual(2);
    expect(await snapshot()).toEqual(truth);
    const [a] = await reparseAudit();
    expect([a!.summary, a!.before, a!.after]).toEqual([
      'Re-parsed junit.xml (alpha): 4 → 5 tests, 1 → 2 failed, 0 → 1 flaky',
      { tests: 4, passed: 2, failed: 1, errors: 0, skipped: 1, flaky: 0, attempts: 5, infra: false },
      { tests: 5, passed: 1, failed: 1, errors: 1, skipped: 1, flaky: 1, attempts: 7, infra: false },
    ]);
  });

  it('a database error half-way (after the old results are deleted) leaves everything as it was', async () => {
    const before = await snapshot();
    await h.db.$executeRawUnsafe(`CREATE FUNCTION reparse_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await h.db.$executeRawUnsafe(`CREATE TRIGGER reparse_fail BEFORE INSERT ON "test_results" FOR EACH ROW EXECUTE FUNCTION reparse_fail()`);
    try {
      await expect(reparseUpload(h.db, cli, uploadId)).rejects.toThrow(/injected failure/);
    } finally {
      await h.db.$executeRawUnsafe('DROP TRIGGER reparse_fail ON "test_results"');
      await h.db.$executeRawUnsafe('DROP FUNCTION reparse_fail()');
    }
    expect(await snapshot()).toEqual(before);
    expect(await reparseAudit()).toEqual([]);
  });

  it('refuses, changing nothing: raw not kept, raw not matching the upload, a file the parser rejects, pruned results', async () => {
    const noRaw = (await send([{ name: 'x' }], 'r-noraw', { rawDays: 0 })).uploads[0]!.id;
    expect(await serviceError(() => reparseUpload(h.db, cli, noRaw))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^The raw copy of junit\.xml is no longer kept/) });

    const before = await snapshot();
    const original = (await h.db.testUpload.findUniqueOrThrow({ where: { id: uploadId } })).raw!;
    const setRaw = (xml: string) => h.db.testUpload.update({ where: { id: uploadId }, data: { raw: new Uint8Array(zlib.gzipSync(xml)) } });
    try {
      await setRaw(junitXml([{ name: 'someone else' }]));
      expect(await serviceError(() => reparseUpload(h.db, cli, uploadId))).toMatchObject({ code: 'conflict', message: 'The raw copy of junit.xml does not match the upload it belongs to; nothing changed.' });
      await h.db.testUpload.update({ where: { id: uploadId }, data: { raw: new Uint8Array(zlib.gzipSync(junitXml(CASES)).subarray(0, 10)) } });
      expect(await serviceError(() => reparseUpload(h.db, cli, uploadId))).toMatchObject({ code: 'conflict', details: [{ field: 'upload', message: 'raw copy damaged' }] });
      await setRaw('<testsuite><testcase name="x"></testsuite>');
      expect(await serviceError(() => reparseUpload(h.db, cli, uploadId))).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^The current parser rejects junit\.xml:1: .*; nothing changed\.$/) });
    } finally {
      await h.db.testUpload.update({ where: { id: uploadId }, data: { raw: original } });
    }
    expect(await snapshot()).toEqual(before);

    const other = (await send(CASES, 'r-pruned')).uploads[0]!.id;
    await h.db.testResult.deleteMany({ where: { uploadId: other, outcome: 'passed' } });
    const pruned = await snapshot(other);
    expect(await serviceError(() => reparseUpload(h.db, cli, other))).toMatchObject({ code: 'conflict', details: [{ field: 'upload', message: 'results pruned' }] });
    expect(await snapshot(other)).toEqual(pruned);
    expect(await reparseAudit()).toEqual([]);
  });

  it('a token limited to another project, an unknown id and a malformed id: the same not_found', async () => {
    const betaOnly: Actor = { type: 'token', id: 't', label: 'token:beta', scopes: ['ingest'], projects: ['beta'], origin: null };
    for (const [actor, id] of [[betaOnly, uploadId], [cli, crypto.randomUUID()], [cli, 'x']] as const) {
      expect(await serviceError(() => reparseUpload(h.db, actor, id))).toMatchObject({ code: 'not_found', message: 'No such upload.' });
    }
  });

  it('lists the candidates of a project: kept raw copies only, since a date, oldest first', async () => {
    const all = await reparseCandidates(h.db, 'all', 'alpha');
    expect(all.map((u) => u.id)).toContain(uploadId);
    const kept = await h.db.testUpload.count({ where: { project: { key: 'alpha' }, raw: { not: null } } });
    expect([all.length, await h.db.testUpload.count({ where: { project: { key: 'alpha' } } })]).toEqual([kept, kept + 1]); // the rawDays: 0 one is left out
    expect(await reparseCandidates(h.db, 'all', 'alpha', new Date(T0 + 1))).toEqual([]);
    expect(await reparseCandidates(h.db, 'all', 'beta')).toEqual([]);
  });
});
