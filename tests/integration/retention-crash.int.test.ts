import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan, type ExecutionResult } from '@/lib/services/retention/execute';
import { writeTarGz } from '@/lib/services/retention/fs/archive';
import { readRotationLog } from '@/lib/services/retention/fs/rotation-log';
import { resumeStaleExecutions } from '@/lib/services/retention/scheduled';
import { NEEDS_POSTGRES, usingPostgres } from './helpers';
import { approvedPlan, DAY, entriesByPath, expectServiceError, listTree, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();
const T0 = Date.now(); // every tree gets the same mtimes, so archives are byte-identical

const POLICY = { rules: [{ id: 'logs', match: 'logs/**', ttl: '7d' }, { id: 'snap', match: 'snapshots/**', compressAfter: '1d' }] };
const D = (i: number) => `logs/d0${i}.log`;
const C = (i: number) => `snapshots/c${i}.json`;

/** 12 actions in seq order: deletes d01..d08 (seq 0-7), compressions c1..c4 (seq 8-11); 2 kept. */
async function setup() {
  const root = await newRoot(h.db, h.base, POLICY);
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
    // Batch 1 is journalled, then the run "crashes". A real crash leaves the database as it was and
    // the kernel drops the root's flock with the process; here the run's finally has released both,
    // so the database state of a crash is put back by hand below.
    await executePlan(h.db, op, plan.id, { batchSize: 5, afterBatch: () => Promise.reject(new Error('simulated crash')) }).catch(() => undefined);
    await h.db.retentionPlan.update({ where: { id: plan.id }, data: { status: 'executing', finishedAt: null, error: null } });
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: plan.id, executionToken: 'the-dead-run', executionHeartbeat: new Date() } });
    // What it did on batch 2 before dying: marked it running (write-ahead), deleted d06-d08 and
    // linked c1's archive into place but had not removed c1 yet.
    await h.db.planEntry.updateMany({ where: { planId: plan.id, seq: { gte: 5, lte: 9 } }, data: { status: 'running' } });
    for (const i of [6, 7, 8]) fs.unlinkSync(path.join(root.path, D(i)));
    await writeArchiveLikeSteward(path.join(root.path, C(1)));
    const archiveIno = ino(root.path, `${C(1)}.tar.gz`);
    expect(await statusCounts(plan.id)).toEqual({ done: 5, running: 5, pending: 2 });

    // The lease is fresh: another executor may not take it over yet.
    await expectServiceError(executePlan(h.db, op, plan.id), 'conflict', /Another cleanup of ".*" is running/);
    const r = await executePlan(h.db, op, plan.id, { batchSize: 5, staleAfterMs: 0 });

    await expectSameEnd(root.path, plan.id, r);
    expect(ino(root.path, `${C(1)}.tar.gz`)).toBe(archiveIno); // finished from its archive (same content), not re-archived
    const e = await entriesByPath(h.db, plan.id);
    for (const i of [6, 7, 8]) expect(e[D(i)]).toMatchObject({ status: 'done', outcome: 'deleted before the run was interrupted' });
    expect(e[C(1)]).toMatchObject({ status: 'done', outcome: 'archive already in place' });
    expect(e[C(2)]).toMatchObject({ status: 'done', outcome: null });
  });

  // A run that is alive but slow (its heartbeat looks stale) still holds the root's flock: nobody
  // may take over and act next to it. A run whose lease is taken anyway (another host, a manual
  // reset) is fenced: its next journal write or heartbeat fails and it stops, touching nothing more.
  it('a live executor cannot be taken over; one whose lease is taken stops instead of finishing the plan again', async () => {
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
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executionHeartbeat: new Date(Date.now() - 60 * 60_000) } });
    const held = await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } });
    await expectServiceError(executePlan(h.db, op, plan.id, { batchSize: 5, staleAfterMs: 10 }), 'conflict', /another rotation of this root is running/);
    // The refused taker did not touch the live run's lease (it checks the root's lock first).
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: plan.id, executionToken: held.executionToken });
    // The lease is stolen behind the slow run's back.
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: plan.id, executionToken: 'someone-else', executionHeartbeat: new Date() } });
    const before = listTree(root.path);
    wake();
    const late = await slow;
    expect(late).toMatchObject({ code: 'conflict' });
    expect(await h.db.rotationRun.count({ where: { planId: plan.id } })).toBe(0);
    expect(fs.existsSync(path.join(root.path, 'rotation/ROTATION_LOG.jsonl'))).toBe(false);
    expect(await statusCounts(plan.id)).toMatchObject({ done: 5 });
    expect(listTree(root.path)).toEqual(before);
    // The stopped run's `finally` released nothing: the lease is still the one that took it.
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: plan.id, executionToken: 'someone-else' });
    // Once the lease is free again (its holder gone), the plan resumes and ends like any other.
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: null, executionToken: null, executionHeartbeat: null } });
    await expectSameEnd(root.path, plan.id, await executePlan(h.db, op, plan.id, { batchSize: 5 }));
  });
});

/** `<file>.tar.gz` as Steward's compression writes it (same bytes as an uninterrupted run's archive). */
async function writeArchiveLikeSteward(file: string): Promise<void> {
  const src = fs.openSync(file, 'r');
  const out = fs.openSync(`${file}.tar.gz`, 'wx', 0o644);
  try {
    const st = fs.fstatSync(src);
    await writeTarGz(src, out, path.basename(file), st.mode, st.size, st.mtimeMs);
  } finally {
    fs.closeSync(src);
    fs.closeSync(out);
  }
}

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
    expect(runChild(plan.id, 'mid-batch', 14)).toBe('killed at clock call 14\n');
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
