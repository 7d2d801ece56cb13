import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan, type ExecutionResult } from '@/lib/services/retention/execute';
import { compressToArchive } from '@/lib/services/retention/fs/act';
import { readRotationLog } from '@/lib/services/retention/fs/rotation-log';
import { resumeStaleExecutions } from '@/lib/services/retention/scheduled';
import { createTestDb, NEEDS_POSTGRES, usingPostgres, type TestDb } from './helpers';
import { approvedPlan, cleanupDirs, DAY, entriesByPath, expectServiceError, listTree, makeDir, newRoot, op, put } from './retention-helpers';

let h: TestDb;
let base: string;
const T0 = Date.now(); // every tree gets the same mtimes, so archives are byte-identical
beforeAll(async () => {
  h = await createTestDb();
  base = makeDir();
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

const POLICY = { rules: [{ id: 'logs', match: 'logs/**', ttl: '7d' }, { id: 'snap', match: 'snapshots/**', compressAfter: '1d' }] };
const D = (i: number) => `logs/d0${i}.log`;
const C = (i: number) => `snapshots/c${i}.json`;

/** 12 actions in seq order: deletes d01..d08 (seq 0-7), compressions c1..c4 (seq 8-11); 2 kept. */
async function setup() {
  const root = await newRoot(h.db, base, POLICY);
  for (let i = 1; i <= 8; i++) put(root.path, D(i), 100 * i, 10 * DAY, T0);
  for (let i = 1; i <= 4; i++) put(root.path, C(i), `{"snapshot":${i}}\n`.repeat(300 * i), 3 * DAY, T0);
  put(root.path, 'logs/new.log', 5, DAY, T0);
  put(root.path, 'notes.txt', 5, 100 * DAY, T0);
  const plan = await approvedPlan(h.db, root.id);
  expect(plan.totals).toMatchObject({ filesToDelete: 8, filesToCompress: 4, filesKept: 2 });
  return { root, plan };
}

const statusCounts = async (planId: string) => {
  const g = await h.db.planEntry.groupBy({ by: ['status'], where: { planId, kind: { not: 'keep' } }, _count: { _all: true } });
  return Object.fromEntries(g.map((c) => [c.status, c._count._all]));
};
const ino = (root: string, rel: string) => fs.statSync(path.join(root, rel)).ino;
const size = (root: string, rel: string) => fs.statSync(path.join(root, rel)).size;

/** What an uninterrupted run of setup()'s plan ends with, computed from the tree (no shared reference run). */
const END_TREE = ['logs/new.log', 'notes.txt', 'rotation/ROTATION_LOG.jsonl', ...[1, 2, 3, 4].map((i) => `${C(i)}.tar.gz`)];
function expectedResult(rootPath: string, planId: string): Omit<ExecutionResult, 'rotationRunId'> {
  const deletedBytes = [1, 2, 3, 4, 5, 6, 7, 8].reduce((s, i) => s + 100 * i, 0);
  const reduction = [1, 2, 3, 4].reduce((s, i) => s + `{"snapshot":${i}}\n`.length * 300 * i - size(rootPath, `${C(i)}.tar.gz`), 0);
  const sizeAfterBytes = END_TREE.filter((p) => !p.startsWith('rotation/')).reduce((s, p) => s + size(rootPath, p), 0);
  return { planId, status: 'done', deleted: 8, compressed: 4, skipped: 0, failed: 0, bytesFreed: deletedBytes + reduction, sizeAfterBytes, withinLimit: true };
}

/** The resumed run ends exactly like an uninterrupted one would, with each action recorded once. */
async function expectSameEnd(rootPath: string, planId: string, r?: ExecutionResult) {
  expect(listTree(rootPath)).toEqual(END_TREE);
  const want = expectedResult(rootPath, planId);
  if (r) expect({ ...r, rotationRunId: null }).toEqual({ ...want, rotationRunId: null });
  const runs = await h.db.rotationRun.findMany({ where: { planId } });
  expect(runs.map((x) => [x.deleted, x.compressed, x.skipped, x.failures, Number(x.bytesFreed)])).toEqual([[8, 4, 0, 0, want.bytesFreed]]);
  expect(await statusCounts(planId)).toEqual({ done: 12 });
  expect(readRotationLog(path.join(rootPath, 'rotation/ROTATION_LOG.jsonl'))).toHaveLength(1);
  const audit = await h.db.auditEvent.findMany({ where: { targetId: planId }, orderBy: { id: 'asc' } });
  expect(audit.map((a) => a.action)).toEqual(['retention.preview', 'retention.approve', 'retention.execute', 'retention.execute.done']);
  expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe('done');
}

describe('interrupted execution, simulated in-process (PGlite or Postgres)', () => {
  it('an abort after the first batch leaves the plan executing; executing it again finishes the rest', async () => {
    const { root, plan } = await setup();
    const ac = new AbortController();
    const r1 = await executePlan(h.db, op, plan.id, { batchSize: 5, signal: ac.signal, afterBatch: (n) => (n >= 5 ? ac.abort() : undefined) });
    expect(r1.status).toBe('interrupted');
    expect(await statusCounts(plan.id)).toEqual({ done: 5, pending: 7 });
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('executing');
    expect((await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).executingPlanId).toBeNull();
    expect(fs.existsSync(path.join(root.path, D(5)))).toBe(false);
    expect(fs.existsSync(path.join(root.path, D(6)))).toBe(true);

    await expectSameEnd(root.path, plan.id, await executePlan(h.db, op, plan.id, { batchSize: 5 }));
  });

  it('a process that died mid-batch (lease held, batch "running", archive made but original kept) resumes without redoing anything', async () => {
    const { root, plan } = await setup();
    let reached!: () => void;
    const hung = new Promise<void>((r) => (reached = r));
    // Batch 1 is journalled, then the "process" stops forever: no catch, no finally, lease kept.
    void executePlan(h.db, op, plan.id, { batchSize: 5, afterBatch: () => (reached(), new Promise<void>(() => {})) });
    await hung;
    // What it did on batch 2 before dying: marked it running (write-ahead), deleted d06-d08 and
    // published c1's archive (compression step 1) but had not removed c1 yet (step 2).
    await h.db.planEntry.updateMany({ where: { planId: plan.id, seq: { gte: 5, lte: 9 } }, data: { status: 'running' } });
    for (const i of [6, 7, 8]) fs.unlinkSync(path.join(root.path, D(i)));
    const c1 = await h.db.planEntry.findFirstOrThrow({ where: { planId: plan.id, path: C(1) } });
    const step1 = await compressToArchive(root.path, { path: C(1), size: Number(c1.size), mtimeMs: Number(c1.mtimeMs) }, plan.id.slice(0, 8));
    expect(step1.status).toBe('archived');
    const archiveIno = ino(root.path, `${C(1)}.tar.gz`);
    expect(await statusCounts(plan.id)).toEqual({ done: 5, running: 5, pending: 2 });

    // The lease is fresh: another executor may not take it over yet.
    await expectServiceError(executePlan(h.db, op, plan.id), 'conflict', /Another cleanup of ".*" is running/);
    const r = await executePlan(h.db, op, plan.id, { batchSize: 5, staleAfterMs: 0 });

    await expectSameEnd(root.path, plan.id, r);
    expect(ino(root.path, `${C(1)}.tar.gz`)).toBe(archiveIno); // finished from its archive, not re-archived
    const e = await entriesByPath(h.db, plan.id);
    for (const i of [6, 7, 8]) expect(e[D(i)]).toMatchObject({ status: 'done', outcome: 'deleted before the run was interrupted' });
    expect(e[C(1)]).toMatchObject({ status: 'done', outcome: 'compressed (resumed)' });
    expect(e[C(2)]).toMatchObject({ status: 'done', outcome: null });
  });

  // The lease is only (root, planId, heartbeat): an executor that was judged dead (its batch took
  // longer than staleAfterMs) and taken over never learns it lost the lease. When it wakes up it
  // carries on and runs finish() a second time: two RotationRuns, two log lines, two done audits.
  // The clocks are pinned: the taker's clock is 10 minutes ahead, past the 2-minute stale limit.
  it('an executor whose lease was taken over stops instead of finishing the plan again', async () => {
    const { root, plan } = await setup();
    const t = new Date();
    let paused!: () => void;
    let wake!: () => void;
    const pausedP = new Promise<void>((r) => (paused = r));
    const wakeP = new Promise<void>((r) => (wake = r));
    const slow = executePlan(h.db, op, plan.id, { batchSize: 5, clock: () => t, afterBatch: (n) => (n === 5 ? (paused(), wakeP) : undefined) }).then(
      (r) => r,
      (e: unknown) => e,
    );
    await pausedP;
    const taker = await executePlan(h.db, op, plan.id, { batchSize: 5, clock: () => new Date(t.getTime() + 10 * 60_000) });
    expect(taker).toMatchObject({ status: 'done', deleted: 8, compressed: 4 });
    wake();
    const late = await slow;
    expect(await h.db.rotationRun.count({ where: { planId: plan.id } })).toBe(1);
    expect(readRotationLog(path.join(root.path, 'rotation/ROTATION_LOG.jsonl'))).toHaveLength(1);
    expect(late).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^This run lost its lease on ".*"/) });
  });

  it('a superseded executor that stops does not release the lease of the run that took over', async () => {
    const { root, plan } = await setup();
    const t = new Date();
    const later = () => new Date(t.getTime() + 10 * 60_000);
    const gate = () => {
      let open!: () => void;
      const p = new Promise<void>((r) => (open = r));
      return { p, open };
    };
    const [aPaused, aWake, bPaused, bWake] = [gate(), gate(), gate(), gate()];
    // A journals its first batch and stalls (judged dead); B takes over, does everything that is
    // left, and stalls before finishing, still holding the lease.
    const a = executePlan(h.db, op, plan.id, { batchSize: 5, clock: () => t, afterBatch: () => (aPaused.open(), aWake.p) }).then(() => 'finished', (e: unknown) => e);
    await aPaused.p;
    const b = executePlan(h.db, op, plan.id, { batchSize: 100, clock: later, afterBatch: () => (bPaused.open(), bWake.p) });
    await bPaused.p;
    const held = await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } });
    expect(held).toMatchObject({ executingPlanId: plan.id, executionHeartbeat: later() });
    // A wakes, finds nothing left, fails its heartbeat and stops; its `finally` must leave B's lease alone.
    aWake.open();
    expect(await a).toMatchObject({ code: 'conflict', message: expect.stringMatching(/lost its lease/) });
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: plan.id, executionToken: held.executionToken });
    // A third executor is still refused while B runs.
    await expectServiceError(executePlan(h.db, op, plan.id, { clock: later }), 'conflict', /Another cleanup of ".*" is running/);
    bWake.open();
    await expectSameEnd(root.path, plan.id, await b);
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: null, executionToken: null, executionHeartbeat: null });
  });

  // KNOWN BUG (execute.ts, the lead's file): a run proves its lease only at the END of a batch
  // (and after 15 s inside one). A run that stalled after journalling a batch, was taken over,
  // and wakes up, fetches the next batch and deletes its files while the taker holds the lease;
  // its error then says "it stopped without touching more files". Fix: heartbeat (prove the lease)
  // right after fetching each batch, before touching a file. `it.fails` keeps the suite green
  // while the bug exists; turn it into `it` when execute.ts is fixed.
  it.fails('a superseded executor touches no file of the next batch while the taker holds the lease', async () => {
    const { root, plan } = await setup();
    const t = new Date();
    const gate = () => {
      let open!: () => void;
      const p = new Promise<void>((r) => (open = r));
      return { p, open };
    };
    const [aPaused, aWake, bPaused, bWake] = [gate(), gate(), gate(), gate()];
    const a = executePlan(h.db, op, plan.id, { batchSize: 5, clock: () => t, afterBatch: (n) => (n === 5 ? (aPaused.open(), aWake.p) : undefined) }).then(() => 'finished', (e: unknown) => e);
    await aPaused.p;
    // B takes over and stalls after its first batch (entries 5-9), holding the lease; 10 and 11 are left.
    const b = executePlan(h.db, op, plan.id, { batchSize: 5, clock: () => new Date(t.getTime() + 10 * 60_000), afterBatch: (n) => (n === 5 ? (bPaused.open(), bWake.p) : undefined) });
    await bPaused.p;
    const untouched = [C(3), C(4)].map((p) => [p, fs.existsSync(path.join(root.path, p))]);
    expect(untouched).toEqual([[C(3), true], [C(4), true]]);
    aWake.open();
    expect(await a).toMatchObject({ code: 'conflict' });
    try {
      expect([C(3), C(4)].map((p) => [p, fs.existsSync(path.join(root.path, p))])).toEqual(untouched);
    } finally {
      bWake.open();
      await b.catch(() => undefined);
    }
  });
});

function runChild(planId: string, mode: 'after-batch' | 'mid-batch', at: number) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/execute-child.ts')], {
    cwd: process.cwd(),
    env: { ...process.env, RET_DB_URL: h.url!, RET_PLAN_ID: planId, RET_KILL_MODE: mode, RET_KILL_AT: String(at) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect({ signal: r.signal, status: r.status, stderr: r.stderr }).toMatchObject({ signal: 'SIGKILL', status: null });
  return r.stdout;
}

describe('a child process executing on the same Postgres database is SIGKILLed', () => {
  it('killed after the first batch: resumeStaleExecutions finishes the plan like an uninterrupted run', async ({ skip }) => {
    if (!usingPostgres) skip(NEEDS_POSTGRES);
    const { root, plan } = await setup();
    expect(runChild(plan.id, 'after-batch', 5)).toBe('killed after 5 entries\n');
    expect((await h.db.retentionPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('executing');
    expect((await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).executingPlanId).toBe(plan.id);
    expect(await statusCounts(plan.id)).toEqual({ done: 5, pending: 7 });
    expect(fs.existsSync(path.join(root.path, 'rotation'))).toBe(false);

    const { resumed } = await resumeStaleExecutions(h.db, new Date(), 0);
    expect(resumed).toEqual([plan.id]);
    await expectSameEnd(root.path, plan.id);
    const e = await entriesByPath(h.db, plan.id);
    expect(Object.values(e).filter((x) => x.kind !== 'keep').map((x) => x.outcome)).toEqual(Array(12).fill(null));
  });

  it('killed in the middle of batch 2: deletes and the finished compression are recorded done, nothing is redone', async ({ skip }) => {
    if (!usingPostgres) skip(NEEDS_POSTGRES);
    const { root, plan } = await setup();
    expect(runChild(plan.id, 'mid-batch', 12)).toBe('killed at clock call 12\n');
    expect(await statusCounts(plan.id)).toEqual({ done: 5, running: 5, pending: 2 });
    expect([6, 7, 8].map((i) => fs.existsSync(path.join(root.path, D(i))))).toEqual([false, false, false]);
    expect(fs.existsSync(path.join(root.path, C(1)))).toBe(false);
    expect(fs.readdirSync(path.join(root.path, 'snapshots')).sort()).toEqual(['c1.json.tar.gz', 'c2.json', 'c3.json', 'c4.json']);
    const archiveIno = ino(root.path, `${C(1)}.tar.gz`);

    const r = await executePlan(h.db, op, plan.id, { batchSize: 5, staleAfterMs: 0 });
    await expectSameEnd(root.path, plan.id, r);
    expect(ino(root.path, `${C(1)}.tar.gz`)).toBe(archiveIno);
    const e = await entriesByPath(h.db, plan.id);
    for (const i of [6, 7, 8]) expect(e[D(i)]).toMatchObject({ status: 'done', outcome: 'deleted before the run was interrupted' });
    expect(e[C(1)]).toMatchObject({ status: 'done', outcome: 'original already removed (resumed)' });
    expect(e[C(2)]).toMatchObject({ status: 'done', outcome: null });
  });
});
