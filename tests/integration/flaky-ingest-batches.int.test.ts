// The bounded-memory boundaries of ingest (issue 9, "peak server memory under 300 MB for a 200 MB
// file"): the raw copy stored in pieces joined by the database must be byte for byte the copy
// stored whole, at every piece size around the copy's length, for two files of one request, and
// re-parse from it; the upload's tests evaluated in batches of N must end exactly as evaluated in
// one batch — with N + 1 candidates (a full batch and one more), exactly N, and one at a time.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { ingestResults, type UploadMeta } from '@/lib/services/flaky/ingest';
import { createProject } from '@/lib/services/flaky/projects';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { reparseUpload } from '@/lib/services/flaky/reparse';
import { bytes, junitXml, type CaseSpec } from '../support/junit-xml';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;
const cli: Actor = { type: 'cli', id: null, label: 'cli:integration', origin: 'cli' };
const ci = { type: 'token', id: 'tok', label: 'token:ci', scopes: ['ingest'], origin: null } satisfies Actor;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const DAY = 86_400_000;

const PROJECTS = ['raw', 'whole', 'exact', 'split', 'single'];

beforeAll(async () => {
  h = await createTestDb();
  for (const key of PROJECTS) await createProject(h.db, cli, { key, name: key }, new Date(T0));
});
afterAll(async () => {
  await h?.close();
});

const storedRaw = async (uploadId: string) => Buffer.from((await h.db.testUpload.findUniqueOrThrow({ where: { id: uploadId }, select: { raw: true } })).raw!);

describe('the raw copy stored in pieces', () => {
  // Messages that do not repeat, so the copy is some kilobytes, not a few hundred bytes.
  const cases: CaseSpec[] = Array.from({ length: 300 }, (_, i) => ({ name: `case_${i}`, attempts: i % 7 === 0 ? ['fail', 'pass'] : ['pass'], message: `expected ${i * 7919} but was ${i * 104_729}` }));
  const xml = junitXml(cases);
  const send = (runId: string, files: { name: string; xml: string }[], rawPieceBytes?: number) =>
    ingestResults(h.db, ci, { project: 'raw', meta: { commit: 'c1', branch: 'main', runId }, files: files.map((f) => ({ name: f.name, chunks: chunksOf(bytes(f.xml), 1000) })) }, { now: new Date(T0), rawPieceBytes });

  it('is the copy stored whole, byte for byte, at every piece size around its length', async () => {
    const whole = await storedRaw((await send('whole', [{ name: 'junit.xml', xml }])).uploads[0]!.id);
    expect(zlib.gunzipSync(whole).toString()).toBe(xml);
    expect(whole.length).toBeGreaterThan(1000);
    // One piece of exactly its length (stored with the row), one byte short (two pieces, the last
    // of one byte), an odd size (two pieces of unequal length) and 64 bytes a piece (many).
    for (const size of [whole.length + 1, whole.length, whole.length - 1, 997, 64]) {
      const r = await send(`pieces-${size}`, [{ name: 'junit.xml', xml }], size);
      expect(await storedRaw(r.uploads[0]!.id), `piece size ${size}`).toEqual(whole);
      expect(await h.db.testUpload.findUniqueOrThrow({ where: { id: r.uploads[0]!.id }, select: { rawExpiresAt: true } })).toEqual({ rawExpiresAt: new Date(T0 + 14 * DAY) });
    }
  });

  it('two files of one request, each in pieces, keep their own copies; re-parse reads them', async () => {
    const other = junitXml(cases.slice(0, 150), 'other');
    const r = await send('two', [{ name: 'a.xml', xml }, { name: 'b.xml', xml: other }], 512);
    expect(zlib.gunzipSync(await storedRaw(r.uploads[0]!.id)).toString()).toBe(xml);
    expect(zlib.gunzipSync(await storedRaw(r.uploads[1]!.id)).toString()).toBe(other);
    const again = await reparseUpload(h.db, cli, r.uploads[1]!.id, { now: new Date(T0 + 1000) });
    expect(again).toMatchObject({ changed: false, after: { tests: 150 } });
  });

  it('a duplicate of a file stored in pieces is recognised with its stored counts', async () => {
    const first = await send('dup', [{ name: 'junit.xml', xml }], 256);
    const again = await send('dup', [{ name: 'junit.xml', xml }], 256);
    expect(again.uploads[0]).toMatchObject({ duplicate: true, id: first.uploads[0]!.id, counts: first.uploads[0]!.counts });
  });
});

describe('evaluation in batches', () => {
  // Per run: 4 flaky (quarantined at the second flake), 3 failing (broken at the third failure),
  // 4 passing and 1 skipped — 7 candidates a run (the flaky, then quarantined, and the failing).
  const run = (i: number): CaseSpec[] => [
    ...[0, 1, 2, 3].map((k) => ({ name: `wobbly_${k}`, attempts: (i < 2 ? ['fail', 'pass'] : ['pass']) as CaseSpec['attempts'] })),
    ...[0, 1, 2].map((k) => ({ name: `failing_${k}`, attempts: ['fail'] as CaseSpec['attempts'] })),
    ...[0, 1, 2, 3].map((k) => ({ name: `steady_${k}` })),
    { name: 'skipped', attempts: ['skip'] },
  ];
  const CANDIDATES = 7;

  async function history(project: string, evaluateBatch: number | undefined) {
    const summaries: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const meta: UploadMeta = { commit: `c${i}`, branch: 'main', runId: `r${i}`, job: 'unit' };
      const r = await ingestResults(h.db, ci, { project, meta, files: [{ name: 'junit.xml', chunks: chunksOf(bytes(junitXml(run(i)))) }] }, { now: new Date(T0 + (i + 1) * DAY), evaluateBatch });
      const names = new Map((await h.db.testCase.findMany({ where: { project: { key: project } }, select: { id: true, name: true } })).map((t) => [t.id, t.name]));
      const named = (ids: string[]) => ids.map((id) => names.get(id)!).sort().join(',');
      const e = r.evaluation;
      summaries.push([String(e.evaluated), named(e.quarantined), named(e.unquarantined), named(e.eligible), named(e.broken), named(e.recovered)]);
    }
    const tests = await h.db.testCase.findMany({
      where: { project: { key: project } }, orderBy: { name: 'asc' },
      select: { name: true, status: true, broken: true, brokenSince: true, greenStreak: true, eligibleAt: true, lastFlakeAt: true, quarantinedAt: true, version: true, events: { select: { kind: true, at: true, reason: true }, orderBy: { id: 'asc' } }, tickets: { select: { status: true } } },
    });
    return { summaries, tests };
  }

  it('N + 1, N and 1 a batch end exactly as one batch', async () => {
    const whole = await history('whole', undefined);
    // The scenario does what it is meant to: quarantines, breaks, every run with 7 candidates.
    expect(whole.summaries.map((s) => s[0])).toEqual(Array(5).fill(String(CANDIDATES)));
    expect(whole.summaries[1]![1]).toBe('wobbly_0,wobbly_1,wobbly_2,wobbly_3');
    expect(whole.summaries[2]![4]).toBe('failing_0,failing_1,failing_2');
    expect(whole.tests.filter((t) => t.status === 'quarantined')).toHaveLength(4);
    expect(whole.tests.filter((t) => t.greenStreak > 0)).toHaveLength(4);
    for (const [project, batch] of [['exact', CANDIDATES], ['split', CANDIDATES - 1], ['single', 1]] as const) {
      expect(await history(project, batch), `${project}: ${batch} a batch`).toEqual(whole);
    }
  });
});
