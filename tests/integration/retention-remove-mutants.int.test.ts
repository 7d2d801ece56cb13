/**
 * removeRoot / rootRemovalImpact (lib/services/retention/remove-root.ts) where StrykerJS found the
 * existing tests blind (issue #12): counts that must be of this root only (another root's plans,
 * samples, runs and executing plan do not count, nor block), an approved plan counted as open like
 * a draft, and the audit row's "before" (what was removed: name, path, policy, schedule, mode).
 */
import { describe, expect, it } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { previewCleanup } from '@/lib/services/retention/plans';
import { removeRoot, rootRemovalImpact } from '@/lib/services/retention/remove-root';
import { approvedPlan, DAY, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const POLICY = { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }] };

/** A root with one executed plan (one run), one approved plan, one draft; three samples. */
async function busyRoot(extra: Record<string, unknown> = {}) {
  const root = await newRoot(h.db, h.base, POLICY, extra);
  put(root.path, 'old.log', 100, 10 * DAY);
  const done = await approvedPlan(h.db, root.id);
  await executePlan(h.db, op, done.id);
  put(root.path, 'old2.log', 100, 10 * DAY);
  const approved = await approvedPlan(h.db, root.id);
  const draft = await previewCleanup(h.db, op, root.id, new Date());
  return { root, done, approved, draft };
}

describe('removing one root among several', () => {
  it('counts only its own plans, open plans (draft and approved), runs and samples; another root is untouched', async () => {
    const a = await busyRoot({ schedule: '0 4 * * *' });
    const b = await busyRoot();
    // b also has an executing plan: it must not block the removal of a.
    await h.db.retentionPlan.update({ where: { id: b.draft.id }, data: { status: 'executing' } });
    const samplesA = await h.db.diskUsageSample.count({ where: { rootId: a.root.id } });
    expect(samplesA).toBeGreaterThan(0);

    const impact = await rootRemovalImpact(h.db, a.root.id);
    expect(impact).toEqual({ id: a.root.id, name: a.root.name, path: a.root.path, schedule: '0 4 * * *', plans: 3, openPlans: 2, runs: 1, samples: samplesA, executingPlanId: null });

    expect(await removeRoot(h.db, op, a.root.id)).toEqual(impact);
    // b keeps everything.
    expect(await h.db.artifactRoot.count({ where: { id: b.root.id } })).toBe(1);
    expect(await h.db.retentionPlan.count({ where: { rootId: b.root.id } })).toBe(3);
    expect((await h.db.rotationRun.findMany({ where: { rootId: b.root.id } })).map((r) => r.planId)).toEqual([b.done.id]);
    expect(await rootRemovalImpact(h.db, b.root.id)).toMatchObject({ plans: 3, openPlans: 1, runs: 1, executingPlanId: b.draft.id });

    const audit = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'retention.root.delete', targetId: a.root.id } });
    expect(audit).toMatchObject({ targetType: 'artifact-root', actorType: 'user', actorId: op.id });
    expect(audit.before).toEqual({ name: a.root.name, path: a.root.path, policy: a.root.policy, schedule: '0 4 * * *', scheduleMode: a.root.scheduleMode });
    expect(audit.after).toEqual({ plansDeleted: 3, openPlansDeleted: 2, samplesDeleted: samplesA, runsKept: 1 });
  });

  it('an unknown id is not found, named', async () => {
    await expect(removeRoot(h.db, op, 'no-such-id')).rejects.toMatchObject({ code: 'not_found', message: 'No artifact root with id no-such-id' });
  });

  it('a root whose lease is held is refused even with no plan marked executing', async () => {
    const { root, approved } = await busyRoot();
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: approved.id, executionHeartbeat: new Date() } });
    expect((await rootRemovalImpact(h.db, root.name)).executingPlanId).toBe(approved.id);
    await expect(removeRoot(h.db, op, root.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await h.db.retentionPlan.count({ where: { rootId: root.id } })).toBe(3);
  });
});
