// Removing a root (issue 8, item 9): what happens to its schedule, plans, samples and history, the
// conflict while a cleanup runs, and `steward root remove`. Files on disk are never touched.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { executePlan } from '@/lib/services/retention/execute';
import { rotationHistory } from '@/lib/services/retention/history-queries';
import { approvePlan, previewCleanup } from '@/lib/services/retention/plans';
import { removalConsequences, removeRoot, rootRemovalImpact } from '@/lib/services/retention/remove-root';
import { runDueRotations } from '@/lib/services/retention/scheduled';
import { usingPostgres } from './helpers';
import { approvedPlan, DAY, expectServiceError, listTree, newRoot, op, put, useRetentionFixture } from './retention-helpers';

const h = useRetentionFixture();

const POLICY = { rules: [{ id: 'logs', match: '**/*.log', ttl: '7d' }] };

/** A root with one executed plan (a run), one open draft, three samples (2 previews + 1 run). */
async function usedRoot(extra: Record<string, unknown> = {}) {
  const root = await newRoot(h.db, h.base, POLICY, extra);
  put(root.path, 'old.log', 100, 10 * DAY);
  put(root.path, 'new.log', 100, DAY / 2);
  const done = await approvedPlan(h.db, root.id);
  await executePlan(h.db, op, done.id);
  put(root.path, 'old2.log', 100, 10 * DAY);
  const draft = await previewCleanup(h.db, op, root.id, new Date());
  return { root, done, draft };
}

describe('removeRoot', () => {
  it('says what will happen, then does exactly that: plans and samples deleted, runs kept, no file touched', async () => {
    const { root, done, draft } = await usedRoot({ schedule: '0 3 * * *' });
    const before = listTree(root.path);
    const impact = await rootRemovalImpact(h.db, root.name);
    expect(impact).toMatchObject({ id: root.id, plans: 2, openPlans: 1, runs: 1, samples: 3, executingPlanId: null, schedule: '0 3 * * *' });
    expect(removalConsequences(impact)).toEqual([
      'Its schedule (0 3 * * *) stops: no more scheduled previews or cleanups.',
      'Its 2 stored plans are deleted with their entries, including 1 open plan (draft or approved) that can then no longer be executed.',
      'Its disk-usage history (3 samples) is deleted.',
      'Its 1 rotation run stays in the rotation history, marked as a removed root; the audit log keeps every event.',
      `No file in ${root.path} is touched.`,
    ]);

    await removeRoot(h.db, op, root.id);
    expect(listTree(root.path)).toEqual(before);
    expect(await h.db.artifactRoot.count({ where: { id: root.id } })).toBe(0);
    expect(await h.db.retentionPlan.count({ where: { id: { in: [done.id, draft.id] } } })).toBe(0);
    expect(await h.db.planEntry.count({ where: { planId: { in: [done.id, draft.id] } } })).toBe(0);
    expect(await h.db.diskUsageSample.count({ where: { rootPath: root.path } })).toBe(0);
    const runs = await h.db.rotationRun.findMany({ where: { rootPath: root.path } });
    expect(runs.map((r) => ({ rootId: r.rootId, planId: r.planId, source: r.source, deleted: r.deleted }))).toEqual([{ rootId: null, planId: null, source: 'server', deleted: 1 }]);
    // The kept run is still in the server's history, marked as a removed root.
    const history = await rotationHistory(h.db, { pageSize: 50 });
    expect(history.runs.rows.find((r) => r.id === runs[0]!.id)).toMatchObject({ rootRemoved: true, rootPath: root.path, planId: null });
    // The open plan cannot be approved any more; the schedule claims no slot for the root.
    await expectServiceError(approvePlan(h.db, op, draft.id, new Date()), 'not_found');
    const at3 = new Date(); at3.setUTCHours(3, 5, 0, 0);
    expect((await runDueRotations(h.db, at3)).filter((o) => o.rootId === root.id)).toEqual([]);
    const audit = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'retention.root.delete', targetId: root.id } });
    expect(audit.summary).toBe(`Removed root "${root.name}" (${root.path}): 2 plan(s) and 3 sample(s) deleted, 1 rotation run(s) kept; no files were touched`);
    expect(audit.after).toEqual({ plansDeleted: 2, openPlansDeleted: 1, samplesDeleted: 3, runsKept: 1 });
    await expectServiceError(removeRoot(h.db, op, root.id), 'not_found');
  });

  it('refuses while a cleanup holds the lease or a plan is still executing (interrupted, to resume), naming the plan', async () => {
    const { root, draft } = await usedRoot();
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: draft.id, executionHeartbeat: new Date() } });
    await expectServiceError(removeRoot(h.db, op, root.id), 'conflict', new RegExp(`^Root "${root.name}" has a cleanup in progress \\(plan ${draft.id}\\); remove it when that plan has finished\\.$`));
    await h.db.artifactRoot.update({ where: { id: root.id }, data: { executingPlanId: null, executionHeartbeat: null } });
    await h.db.retentionPlan.update({ where: { id: draft.id }, data: { status: 'executing' } });
    await expectServiceError(removeRoot(h.db, op, root.id), 'conflict', new RegExp(`\\(plan ${draft.id}\\)`));
    expect(await h.db.artifactRoot.count({ where: { id: root.id } })).toBe(1);
    expect(await h.db.auditEvent.count({ where: { action: 'retention.root.delete', targetId: root.id } })).toBe(0);
  });

  it('finds a root by name or id; an unknown one is not found', async () => {
    const root = await newRoot(h.db, h.base, POLICY);
    expect((await rootRemovalImpact(h.db, root.id)).name).toBe(root.name);
    expect((await rootRemovalImpact(h.db, root.name)).id).toBe(root.id);
    await expectServiceError(rootRemovalImpact(h.db, 'no-such-root'), 'not_found', /No artifact root with id or name "no-such-root"/);
  });
});

// The CLI opens the database itself: it needs a database server both processes can reach.
describe.skipIf(!usingPostgres)('steward root remove', () => {
  const steward = (args: string[]) =>
    promisify(execFile)(process.execPath, ['bin/steward.mjs', ...args], { env: { ...process.env, DATABASE_URL: h.url!, STEWARD_ARTIFACT_BASES: h.base, NEXT_TELEMETRY_DISABLED: '1' } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('without --yes (no terminal) says what would happen and removes nothing (exit 64); with --yes it removes', async () => {
    const { root } = await usedRoot();
    const before = listTree(root.path);
    const refused = await steward(['root', 'remove', root.name]);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain(`Removing root "${root.name}" (${root.path}):`);
    expect(refused.stderr).toContain('Its 1 rotation run stays in the rotation history');
    expect(refused.stderr).toContain('Pass --yes to remove it.');
    expect(await h.db.artifactRoot.count({ where: { id: root.id } })).toBe(1);

    const ok = await steward(['--json', 'root', 'remove', root.name, '--yes']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ removed: { id: root.id, name: root.name, path: root.path }, plansDeleted: 2, samplesDeleted: 3, runsKept: 1 });
    expect(await h.db.artifactRoot.count({ where: { id: root.id } })).toBe(0);
    expect(listTree(root.path)).toEqual(before);
    expect((await h.db.auditEvent.findFirstOrThrow({ where: { action: 'retention.root.delete', targetId: root.id } })).actorType).toBe('cli');
    const again = await steward(['root', 'remove', root.id, '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`No artifact root with id or name "${root.id}"`);
    expect(path.isAbsolute(root.path)).toBe(true);
  }, 60_000);
});
