import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDueRotations } from '@/lib/services/retention/scheduled';
import { updateRoot } from '@/lib/services/retention/roots';
import { createTestDb, type TestDb } from './helpers';
import { cleanupDirs, DAY, exists, listTree, makeDir, newRoot, op, put } from './retention-helpers';

let h: TestDb;
let base: string;
const scheduled: string[] = [];
beforeAll(async () => {
  h = await createTestDb();
  base = makeDir();
});
// runDueRotations walks every scheduled root: unschedule each test's roots so tests stay independent.
afterEach(async () => {
  for (const rootId of scheduled.splice(0)) await updateRoot(h.db, op, { rootId, schedule: null });
});
afterAll(async () => {
  await h?.close();
  cleanupDirs();
});

const POLICY = { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }] };
const MIN = 60_000;
// A pinned clock: the tick time is T (30 s into its minute), executions read T + 5 s.
const T = new Date('2026-03-02T10:00:30.000Z');
const clockAt = (now: Date, ms = 5_000) => ({ clock: () => new Date(now.getTime() + ms) });

async function scheduledRoot(mode: 'approve' | 'auto') {
  const root = await newRoot(h.db, base, POLICY, { schedule: '* * * * *', scheduleMode: mode });
  scheduled.push(root.id);
  put(root.path, 'old.log', 10, 10 * DAY, T.getTime());
  put(root.path, 'new.log', 10, DAY, T.getTime());
  return root;
}

/** A time inside the current minute; its slot is the start of that minute. */
function slotOf(now: Date): string {
  return new Date(Math.floor(now.getTime() / MIN) * MIN).toISOString();
}

describe('runDueRotations', () => {
  it('approve mode: one draft plan per slot; a second call for the same slot does nothing', async () => {
    const root = await scheduledRoot('approve');
    const now = T;

    const first = await runDueRotations(h.db, now, 'instance-a', clockAt(now));
    expect(first).toEqual([{ rootId: root.id, slot: slotOf(now), status: 'planned', planId: expect.any(String) }]);
    const plan = await h.db.retentionPlan.findUniqueOrThrow({ where: { id: first[0]!.planId! } });
    expect(plan).toMatchObject({ status: 'draft', source: 'schedule', createdBy: `job:rotation:${root.name}`, approvedBy: null });
    expect(plan.createdAt.getTime()).toBe(now.getTime());

    expect(await runDueRotations(h.db, now, 'instance-b', clockAt(now))).toEqual([]);
    expect(await runDueRotations(h.db, new Date(now.getTime() + 20_000), 'instance-b', clockAt(now))).toEqual([]); // same slot
    expect(await h.db.retentionPlan.count({ where: { rootId: root.id } })).toBe(1);

    const next = new Date(now.getTime() + MIN);
    const second = await runDueRotations(h.db, next, undefined, clockAt(next));
    expect(second.map((o) => [o.slot, o.status])).toEqual([[slotOf(next), 'planned']]);
    expect(await h.db.retentionPlan.count({ where: { rootId: root.id, status: 'draft' } })).toBe(2);

    const runs = await h.db.jobRun.findMany({ where: { job: `rotation:${root.id}` }, orderBy: { slot: 'asc' } });
    expect(runs.map((r) => [r.slot, r.status, r.owner, r.finishedAt?.toISOString()])).toEqual([
      [slotOf(now), 'done', 'instance-a', '2026-03-02T10:00:35.000Z'],
      [slotOf(next), 'done', 'worker', '2026-03-02T10:01:35.000Z'],
    ]);
    expect(runs[0]!.result).toEqual({ planId: first[0]!.planId, status: 'planned' });
    expect(exists(root.path, 'old.log')).toBe(true); // planning alone deletes nothing
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } })).toMatchObject({ scheduledFailures: 0, lastScheduledError: null });
  });

  it('auto mode: the plan is approved by the system and executed at once', async () => {
    const root = await scheduledRoot('auto');
    const now = T;
    const out = await runDueRotations(h.db, now, undefined, clockAt(now));
    expect(out).toEqual([{ rootId: root.id, slot: slotOf(now), status: 'executed', planId: expect.any(String) }]);
    const actor = `job:rotation:${root.name}`;
    expect(await h.db.retentionPlan.findUniqueOrThrow({ where: { id: out[0]!.planId! } })).toMatchObject({ status: 'done', approvedBy: actor, source: 'schedule' });
    expect(listTree(root.path)).toEqual(['new.log', 'rotation/ROTATION_LOG.jsonl']);
    const run = await h.db.rotationRun.findFirstOrThrow({ where: { planId: out[0]!.planId! } });
    expect(run).toMatchObject({ deleted: 1, kept: 1, approvedBy: actor, executedBy: actor });
    const audit = await h.db.auditEvent.findMany({ where: { targetId: out[0]!.planId! }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType, a.actorLabel])).toEqual(
      ['retention.preview', 'retention.approve', 'retention.execute', 'retention.execute.done'].map((a) => [a, 'system', actor]),
    );
    expect(run.timestamp.toISOString()).toBe('2026-03-02T10:00:35.000Z'); // the execution's clock
    expect(await runDueRotations(h.db, now, undefined, clockAt(now))).toEqual([]);
    expect(await h.db.rotationRun.count({ where: { rootId: root.id } })).toBe(1);
  });

  it('a root whose directory was removed: the failure is counted once per slot and its error kept', async () => {
    const root = await scheduledRoot('auto');
    // Moved away and later back: the same directory (device and inode), so the root's recorded
    // identity still matches. A directory recreated under the path is another one, and is refused
    // (retention-hostile.int.test.ts); whether mkdir reuses the freed inode is up to the filesystem.
    const away = `${root.path}.away`;
    fs.renameSync(root.path, away);
    const now = T;
    const out = await runDueRotations(h.db, now, undefined, clockAt(now));
    expect(out).toEqual([{ rootId: root.id, slot: slotOf(now), status: 'failed', error: `cannot scan root "${root.path}": does not exist` }]);
    let after = await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } });
    expect(after.scheduledFailures).toBe(1);
    expect(after.lastScheduledError).toBe(`${slotOf(now)}: cannot scan root "${root.path}": does not exist`);
    const job = await h.db.jobRun.findFirstOrThrow({ where: { job: `rotation:${root.id}` } });
    expect(job).toMatchObject({ status: 'failed', error: `cannot scan root "${root.path}": does not exist` });
    expect(await h.db.auditEvent.count({ where: { action: 'retention.scheduled', targetId: root.id, outcome: 'error' } })).toBe(1);
    expect(await h.db.retentionPlan.count({ where: { rootId: root.id } })).toBe(0);

    expect(await runDueRotations(h.db, now, undefined, clockAt(now))).toEqual([]);
    await runDueRotations(h.db, new Date(now.getTime() + MIN), undefined, clockAt(now, MIN + 5_000));
    after = await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } });
    expect(after.scheduledFailures).toBe(2);

    // Back on disk: the next slot succeeds and clears the last error (the count is history).
    fs.renameSync(away, root.path);
    const ok = await runDueRotations(h.db, new Date(now.getTime() + 2 * MIN), undefined, clockAt(now, 2 * MIN + 5_000));
    expect(ok.map((o) => o.status)).toEqual(['executed']);
    after = await h.db.artifactRoot.findUniqueOrThrow({ where: { id: root.id } });
    expect(after).toMatchObject({ scheduledFailures: 2, lastScheduledError: null });
  });

  it('slots older than an hour are not replayed; a slot within the hour is', async () => {
    const root = await newRoot(h.db, base, POLICY, { schedule: '0 0 1 1 *' }); // once a year
    scheduled.push(root.id);
    const mine = (o: { rootId: string }[]) => o.filter((x) => x.rootId === root.id);
    expect(mine(await runDueRotations(h.db, new Date('2026-06-01T00:00:00Z')))).toEqual([]);
    expect(mine(await runDueRotations(h.db, new Date('2027-01-01T01:00:00.001Z')))).toEqual([]); // 1 h + 1 ms late
    expect(mine(await runDueRotations(h.db, new Date('2027-01-01T01:00:00.000Z')))).toEqual([{ rootId: root.id, slot: '2027-01-01T00:00:00.000Z', status: 'planned', planId: expect.any(String) }]);
  });

  it('a bad stored cron expression is skipped without failing the other roots or counting a failure', async () => {
    const bad = await scheduledRoot('approve');
    await h.db.artifactRoot.update({ where: { id: bad.id }, data: { schedule: 'every tuesday' } });
    const good = await scheduledRoot('approve');
    const out = await runDueRotations(h.db, T, undefined, clockAt(T));
    expect(out.map((o) => [o.rootId, o.status])).toEqual([[good.id, 'planned']]);
    expect(await h.db.artifactRoot.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ scheduledFailures: 0, lastScheduledError: null });
    expect(await h.db.jobRun.count({ where: { job: `rotation:${bad.id}` } })).toBe(0);
    expect(await h.db.retentionPlan.count({ where: { rootId: bad.id } })).toBe(0);
  });
});
