/**
 * executePlan's paths that real files rarely take: an unexpected error in the middle of a batch,
 * the heartbeat inside a long batch, a compression that fails while others succeed, and a
 * scheduled auto run with failed files. The per-file executor (fs/act) is the real one unless a
 * test sets `faults`, which makes one named file throw or fail, like a disk error would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { runDueRotations } from '@/lib/services/retention/scheduled';
import { updateRoot } from '@/lib/services/retention/roots';
import { createTestDb, type TestDb } from './helpers';
import { approvedPlan, cleanupDirs, DAY, entriesByPath, expectServiceError, listTree, makeDir, newRoot, op, put } from './retention-helpers';

type Fault = 'throw' | 'fail';
const faults = vi.hoisted(() => ({ delete: new Map<string, Fault>(), compress: new Map<string, Fault>() }));
vi.mock('@/lib/services/retention/fs/act', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/services/retention/fs/act')>();
  type Args = Parameters<typeof real.deleteEntry>;
  return {
    ...real,
    deleteEntry: (...args: Args) => {
      const f = faults.delete.get(args[1].path);
      if (f === 'throw') throw new Error(`EIO: i/o error, unlink '${args[1].path}'`);
      if (f === 'fail') return { status: 'failed', outcome: 'i/o error' };
      return real.deleteEntry(...args);
    },
    compressEntry: async (...args: Parameters<typeof real.compressEntry>) => {
      if (faults.compress.get(args[1].path) === 'fail') return { status: 'failed', outcome: 'archive does not verify (injected); file kept' };
      return real.compressEntry(...args);
    },
  };
});

let h: TestDb;
let base: string;
beforeAll(async () => {
  h = await createTestDb();
  base = makeDir();
});
afterEach(() => {
  faults.delete.clear();
  faults.compress.clear();
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

const T = new Date('2026-03-02T10:00:00.000Z');
const D = (i: number) => `logs/d${i}.log`;

/** Six deletes d1..d6 (seq order) in one batch. */
async function sixDeletes() {
  const root = await newRoot(h.db, base, { rules: [{ id: 'logs', match: 'logs/**', ttl: '7d' }] });
  for (let i = 1; i <= 6; i++) put(root.path, D(i), 10 * i, 10 * DAY, T.getTime());
  const plan = await approvedPlan(h.db, root.id, T);
  expect(plan.totals.filesToDelete).toBe(6);
  return { root, plan };
}
const statusByPath = async (planId: string) => Object.fromEntries(Object.entries(await entriesByPath(h.db, planId)).map(([p, e]) => [p, e.status]));

describe('an unexpected error mid-run', () => {
  it('a delete that throws ends the run as failed with the message; entries already journalled stay done, the lease is released', async () => {
    const { root, plan } = await sixDeletes();
    faults.delete.set(D(4), 'throw');
    // batchSize 3: d1-d3 are journalled done, then d4 throws in the second batch.
    const err = await executePlan(h.db, op, plan.id, { batchSize: 3, clock: () => T }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`EIO: i/o error, unlink '${D(4)}'`);
    const stored = await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect([stored.status, stored.error, stored.finishedAt?.toISOString()]).toEqual(['failed', `EIO: i/o error, unlink '${D(4)}'`, T.toISOString()]);
    expect(await statusByPath(plan.id)).toEqual({ [D(1)]: 'done', [D(2)]: 'done', [D(3)]: 'done', [D(4)]: 'running', [D(5)]: 'running', [D(6)]: 'running' });
    expect(listTree(root.path)).toEqual([D(4), D(5), D(6)]);
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: null, executionToken: null, executionHeartbeat: null });
    expect(await h.db.rotationRun.count({ where: { planId: plan.id } })).toBe(0);
    // A failed plan is not executed again.
    await expectServiceError(executePlan(h.db, op, plan.id, { clock: () => T }), 'conflict', /This plan is failed; only an approved plan can be executed/);
  });
});

describe('the heartbeat inside a long batch', () => {
  it('after 15 s of a batch, what was done so far is journalled before the next file is touched', async () => {
    const { root, plan } = await sixDeletes();
    // Each clock read is 10 s later. Reads: start (0 s), the batch's fence heartbeat (10 s), then
    // one per entry (20, 30, ... s): the heartbeat fires before d2 (20 s since the fence) and
    // before d4 (20 s since the last beat). The read before d6 throws, so the run stops there with
    // its last beat's journal in place.
    let calls = 0;
    const clock = () => {
      calls++;
      if (calls === 8) throw new Error('stop before d6');
      return new Date(T.getTime() + (calls - 1) * 10_000);
    };
    await expect(executePlan(h.db, op, plan.id, { batchSize: 100, clock })).rejects.toThrow('stop before d6');
    expect(await statusByPath(plan.id)).toEqual({ [D(1)]: 'done', [D(2)]: 'done', [D(3)]: 'done', [D(4)]: 'running', [D(5)]: 'running', [D(6)]: 'running' });
    // d4 and d5 were deleted after the last beat; the journal has them "running", which a resume
    // records as "deleted before the run was interrupted".
    expect(listTree(root.path)).toEqual([D(6)]);
  });
});

describe('a compression failing mid-execution', () => {
  it('fails that entry, keeps its original, and compresses the others; the run counts the failure', async () => {
    const root = await newRoot(h.db, base, { rules: [{ id: 'snap', match: 'snap/**', compressAfter: '1d' }] });
    for (const n of ['a', 'b', 'c']) put(root.path, `snap/${n}.json`, `{"${n}":1}\n`.repeat(200), 3 * DAY, T.getTime());
    const plan = await approvedPlan(h.db, root.id, T);
    faults.compress.set('snap/b.json', 'fail');
    const r = await executePlan(h.db, op, plan.id, { clock: () => T });
    expect(r).toMatchObject({ status: 'done', compressed: 2, failed: 1, skipped: 0 });
    expect(await entriesByPath(h.db, plan.id)).toEqual({
      'snap/a.json': { kind: 'compress', status: 'done', outcome: null },
      'snap/b.json': { kind: 'compress', status: 'failed', outcome: 'archive does not verify (injected); file kept' },
      'snap/c.json': { kind: 'compress', status: 'done', outcome: null },
    });
    // The original is kept, and nothing of the failed compression is left behind.
    expect(fs.readFileSync(path.join(root.path, 'snap/b.json'), 'utf8')).toBe('{"b":1}\n'.repeat(200));
    expect(listTree(root.path)).toEqual(['rotation/ROTATION_LOG.jsonl', 'snap/a.json.tar.gz', 'snap/b.json', 'snap/c.json.tar.gz']);
    const run = await h.db.rotationRun.findFirstOrThrow({ where: { planId: plan.id } });
    expect([run.compressed, run.failures, run.kept]).toEqual([2, 1, 1]);
    expect((run.details as { problems: unknown[] }).problems).toEqual([{ path: 'snap/b.json', status: 'failed', outcome: 'archive does not verify (injected); file kept' }]);
  });
});

describe('scheduled auto mode with failed files', () => {
  it('the plan is executed, but the slot is recorded failed with the count and the plan id', async () => {
    const root = await newRoot(h.db, base, { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }] }, { schedule: '* * * * *', scheduleMode: 'auto' });
    try {
      put(root.path, 'a.log', 10, 10 * DAY, T.getTime());
      put(root.path, 'b.log', 10, 10 * DAY, T.getTime());
      faults.delete.set('b.log', 'fail');
      const now = new Date(T.getTime() + 30_000);
      const out = await runDueRotations(h.db, now, 'w', { clock: () => now });
      const mine = out.filter((o) => o.rootId === root.id);
      expect(mine).toHaveLength(1);
      const plan = await h.db.retentionPlan.findFirstOrThrow({ where: { rootId: root.id } });
      const message = `1 file(s) failed; see plan ${plan.id}`;
      expect(mine[0]).toEqual({ rootId: root.id, slot: '2026-03-02T10:00:00.000Z', status: 'failed', error: message });
      expect(plan.status).toBe('done');
      expect(listTree(root.path)).toEqual(['b.log', 'rotation/ROTATION_LOG.jsonl']);
      expect(await h.db.jobRun.findFirstOrThrow({ where: { job: `rotation:${root.id}` } })).toMatchObject({ status: 'failed', error: message });
      expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ scheduledFailures: 1, lastScheduledError: `2026-03-02T10:00:00.000Z: ${message}` });
      expect((await h.db.auditEvent.findMany({ where: { action: 'retention.scheduled', targetId: root.id } })).map((a) => [a.outcome, a.summary])).toEqual([
        ['error', `Scheduled rotation of "${root.name}" at 2026-03-02T10:00:00.000Z failed: ${message}`],
      ]);
    } finally {
      await updateRoot(h.db, op, { rootId: root.id, schedule: null });
    }
  });
});
