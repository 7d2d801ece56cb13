import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/client';
import { ServiceError } from '@/lib/services/errors';
import { executePlan, type ExecutionResult } from '@/lib/services/retention/execute';
import { readRotationLog } from '@/lib/services/retention/fs/rotation-log';
import { getPlan } from '@/lib/services/retention/plans';
import { approvedPlan, DAY, entriesByPath, HOUR, listTree, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const MB = 1024 * 1024;
const round2 = (n: number) => Math.round(n * 100) / 100;
const POLICY = {
  rules: [
    { id: 'snap', match: 'snapshots/**', compressAfter: '1d', ttl: '30d' },
    { id: 'logs', match: '**/*.log', ttl: '7d' },
  ],
  protect: [{ id: 'keep', match: '**/KEEP*' }],
  maxSize: '1MB',
  sizeCapAction: 'warn',
};
const S1 = 'snapshot one\n'.repeat(800);
const S2 = '{"k":"v"}\n'.repeat(900);

/** 3 deletes, 2 compressions, 4 kept; mtimes old against the real clock (default quiet check applies). */
function tree(root: string): void {
  put(root, 'logs/a.log', 100, 10 * DAY);
  put(root, 'logs/b.log', 200, 8 * DAY);
  put(root, 'logs/c.log', 300, 1 * DAY);
  put(root, 'snapshots/s1.json', S1, 3 * DAY);
  put(root, 'snapshots/s2.json', S2, 2 * DAY);
  put(root, 'snapshots/s0.json', 50, 40 * DAY);
  put(root, 'snapshots/fresh.json', 70, HOUR);
  put(root, 'KEEP.log', 10, 100 * DAY);
  put(root, 'notes.txt', 20, 100 * DAY);
}

async function setup(policy: unknown = POLICY) {
  const root = await newRoot(h.db, h.base, policy);
  tree(root.path);
  return root;
}

const tarList = (file: string) => execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
const tarCat = (file: string) => execFileSync('tar', ['-xzOf', file], { encoding: 'utf8' });
const auditOf = (db: Db, planId: string) => db.auditEvent.findMany({ where: { targetId: planId }, orderBy: { id: 'asc' } }).then((r) => r.map((a) => a.action));

describe('executePlan happy path', () => {
  it('deletes exactly the planned files, replaces compressions by verified .tar.gz, records run, sample, log and audit', async () => {
    const root = await setup();
    const plan = await approvedPlan(h.db, root.id);
    expect(plan.totals).toMatchObject({ filesToDelete: 3, filesToCompress: 2, filesKept: 4 });

    const r = await executePlan(h.db, op, plan.id);

    expect(listTree(root.path)).toEqual([
      'KEEP.log', 'logs/c.log', 'notes.txt', 'rotation/ROTATION_LOG.jsonl',
      'snapshots/fresh.json', 'snapshots/s1.json.tar.gz', 'snapshots/s2.json.tar.gz',
    ]);
    const a1 = path.join(root.path, 'snapshots/s1.json.tar.gz');
    const a2 = path.join(root.path, 'snapshots/s2.json.tar.gz');
    expect(tarList(a1)).toEqual(['s1.json']);
    expect(tarList(a2)).toEqual(['s2.json']);
    expect(tarCat(a1)).toBe(S1);
    expect(tarCat(a2)).toBe(S2);
    expect(fs.readFileSync(path.join(root.path, 'logs/c.log'), 'utf8')).toBe('x'.repeat(300));

    const reduction = S1.length - fs.statSync(a1).size + (S2.length - fs.statSync(a2).size);
    const after = ['KEEP.log', 'logs/c.log', 'notes.txt', 'snapshots/fresh.json', 'snapshots/s1.json.tar.gz', 'snapshots/s2.json.tar.gz'];
    const bytesAfter = after.reduce((s, p) => s + fs.statSync(path.join(root.path, p)).size, 0);
    expect(r).toEqual({
      planId: plan.id, status: 'done', deleted: 3, compressed: 2, skipped: 0, failed: 0,
      bytesFreed: 350 + reduction, sizeAfterBytes: bytesAfter, withinLimit: true, rotationRunId: expect.any(String),
    });

    const run = await h.db.rotationRun.findUniqueOrThrow({ where: { id: r.rotationRunId! } });
    expect(run).toMatchObject({
      rootId: root.id, planId: plan.id, host: 'server', source: 'server', rootPath: root.path, dryRun: false,
      deleted: 3, compressed: 2, kept: 4, skipped: 0, failures: 0, withinLimit: true, bytesFreed: BigInt(350 + reduction),
      approvedBy: 'op@test', executedBy: 'op@test', totalReductionKb: reduction / 1024, sizeMb: bytesAfter / MB,
    });
    expect(run.details).toEqual({ problems: [], warnings: [] });

    const samples = await h.db.diskUsageSample.findMany({ where: { rootId: root.id }, orderBy: { id: 'asc' } });
    expect(samples).toHaveLength(2); // preview + execution
    expect([Number(samples[1]!.rootBytes), samples[1]!.fileCount]).toEqual([bytesAfter, 6]);
    expect(samples[1]!.at.getTime()).toBe(run.timestamp.getTime());

    const logFile = path.join(root.path, 'rotation/ROTATION_LOG.jsonl');
    expect(fs.readFileSync(logFile, 'utf8').split('\n')).toHaveLength(2); // one line + trailing newline
    const [line] = readRotationLog(logFile);
    expect(line!.timestamp).toBe(run.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(line).toMatchObject({
      rotation: { deleted: 3, kept: 4 },
      compression: { compressed: 2, total_reduction_kb: round2(reduction / 1024) },
      disk_usage: { size_mb: round2(bytesAfter / MB), within_limit: true },
      steward: { plan_id: plan.id, approved_by: 'op@test', bytes_freed: 350 + reduction, failures: 0, skipped: 0, dry_run: false },
    });

    const entries = await entriesByPath(h.db, plan.id);
    expect(Object.values(entries).filter((e) => e.kind !== 'keep').map((e) => e.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(await getPlan(h.db, plan.id, new Date())).toMatchObject({ status: 'done', progress: { done: 5 }, error: null });
    expect(await auditOf(h.db, plan.id)).toEqual(['retention.preview', 'retention.approve', 'retention.execute', 'retention.execute.done']);
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ executingPlanId: null, executionHeartbeat: null });
  });

  it('reports withinLimit false when the root stays over a warn-only cap', async () => {
    const root = await setup({ rules: [{ match: '**/*.log', ttl: '7d' }], maxSize: '1KB', sizeCapAction: 'warn' });
    const plan = await approvedPlan(h.db, root.id);
    expect(plan.totals.withinLimit).toBe(false);
    const r = await executePlan(h.db, op, plan.id);
    expect([r.deleted, r.compressed, r.withinLimit]).toEqual([3, 0, false]); // a.log, b.log and the unprotected KEEP.log
    const [line] = readRotationLog(path.join(root.path, 'rotation/ROTATION_LOG.jsonl'));
    expect(line!.disk_usage).toMatchObject({ within_limit: false });
  });
});

function settled(rs: PromiseSettledResult<ExecutionResult>[]) {
  const ok = rs.filter((x): x is PromiseFulfilledResult<ExecutionResult> => x.status === 'fulfilled');
  const ko = rs.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
  return { ok, ko };
}

describe('one execution per root', () => {
  it('two executions of the same plan at once: one runs, the other gets conflict; nothing is done twice', async () => {
    const root = await setup();
    const plan = await approvedPlan(h.db, root.id);
    const { ok, ko } = settled(await Promise.allSettled([executePlan(h.db, op, plan.id), executePlan(h.db, op, plan.id)]));
    expect([ok.length, ko.length]).toEqual([1, 1]);
    expect(ko[0]!.reason).toBeInstanceOf(ServiceError);
    expect(ko[0]!.reason).toMatchObject({ code: 'conflict', message: expect.stringMatching(/Another cleanup of ".*" is running \(plan [0-9a-f-]{36}/) });
    expect(ok[0]!.value).toMatchObject({ deleted: 3, compressed: 2, skipped: 0, failed: 0 });

    const rows = await h.db.planEntry.findMany({ where: { planId: plan.id, kind: { not: 'keep' } } });
    expect(rows.map((e) => [e.status, e.outcome])).toEqual(rows.map(() => ['done', null]));
    expect(await h.db.rotationRun.count({ where: { planId: plan.id } })).toBe(1);
    expect(await auditOf(h.db, plan.id)).toEqual(['retention.preview', 'retention.approve', 'retention.execute', 'retention.execute.done']);
    expect(readRotationLog(path.join(root.path, 'rotation/ROTATION_LOG.jsonl'))).toHaveLength(1);
    expect(listTree(root.path).filter((p) => p.endsWith('.tar.gz'))).toHaveLength(2);
  });

  it('two different approved plans of the same root at once: one is refused and stays approved and untouched', async () => {
    const root = await setup();
    const p1 = await approvedPlan(h.db, root.id);
    const p2 = await approvedPlan(h.db, root.id);
    const { ok, ko } = settled(await Promise.allSettled([executePlan(h.db, op, p1.id), executePlan(h.db, op, p2.id)]));
    expect([ok.length, ko.length]).toEqual([1, 1]);
    expect(ko[0]!.reason).toMatchObject({ code: 'conflict', message: expect.stringContaining('is running') });
    const winner = ok[0]!.value.planId;
    const loser = winner === p1.id ? p2.id : p1.id;
    expect(ko[0]!.reason.message).toContain(`(plan ${winner}`);
    expect((await getPlan(h.db, loser, new Date())).status).toBe('approved');
    expect((await getPlan(h.db, loser, new Date())).progress).toEqual({ pending: 5 });
    expect(await h.db.rotationRun.count({ where: { rootId: root.id } })).toBe(1);
    expect(listTree(root.path)).toHaveLength(7);
  });

  // executePlan checks the plan status BEFORE taking the lease and never re-checks it after: an
  // execution that read the plan while it was approved and gets the lease after another execution
  // of the same plan finished runs finish() again (second RotationRun, second log line, second
  // execute/execute.done audit rows). Simulated by delaying the second caller's lease query.
  it('a late second execution of a plan that just finished is refused, not run again', async () => {
    const root = await setup();
    const plan = await approvedPlan(h.db, root.id);
    let release!: () => void;
    let readDone!: () => void;
    const firstDone = new Promise<void>((r) => (release = r));
    const lateHasRead = new Promise<void>((r) => (readDone = r));
    const bind = <T extends object>(o: T, k: PropertyKey) => {
      const v = Reflect.get(o, k);
      return typeof v === 'function' ? v.bind(o) : v;
    };
    const slowDb = new Proxy(h.db, {
      get(t, p) {
        if (p === '$queryRawUnsafe') return async (...a: Parameters<Db['$queryRawUnsafe']>) => (await firstDone, t.$queryRawUnsafe(...a));
        if (p === 'retentionPlan') {
          return new Proxy(t.retentionPlan, {
            get: (d, k) => (k === 'findUnique' ? (a: Parameters<typeof d.findUnique>[0]) => d.findUnique(a).then((r) => (readDone(), r)) : bind(d, k)),
          });
        }
        return bind(t, p);
      },
    }) as Db;
    const late = executePlan(slowDb, op, plan.id).then(() => 'ran', (e: unknown) => e);
    await lateHasRead; // the late caller has read the plan while it was approved
    await executePlan(h.db, op, plan.id);
    release();
    const outcome = await late;
    expect(await h.db.rotationRun.count({ where: { planId: plan.id } })).toBe(1);
    expect(readRotationLog(path.join(root.path, 'rotation/ROTATION_LOG.jsonl'))).toHaveLength(1);
    expect(outcome).toMatchObject({ code: 'conflict' });
  });
});
