/**
 * Removing an artifact root: Steward stops managing the directory. What happens, decided once and
 * said the same way in the web confirmation, the CLI and the audit row:
 *  - the schedule stops (the root's row is gone, so no slot is claimed for it again);
 *  - every stored plan of the root is deleted with its entries, so an open (draft or approved)
 *    plan can no longer be approved or executed;
 *  - an executing plan, or one interrupted and waiting to resume, blocks removal (409): its
 *    journal is what makes a crash resumable;
 *  - the disk-usage samples (the root's trend) are deleted;
 *  - rotation runs stay in the history, shown as a removed root (path kept); the audit log keeps
 *    every event;
 *  - no file on disk is touched.
 */
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { ServiceError } from '../errors';

export interface RootRemovalImpact {
  id: string;
  name: string;
  path: string;
  schedule: string | null;
  plans: number;
  openPlans: number;
  runs: number;
  samples: number;
  /** A plan holding the root's lease or still marked executing: removal is refused while set. */
  executingPlanId: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The confirmation's sentences, from stored counts. */
export function removalConsequences(i: RootRemovalImpact): string[] {
  return [
    i.schedule ? `Its schedule (${i.schedule}) stops: no more scheduled previews or cleanups.` : 'It has no schedule; nothing else runs for it.',
    i.plans === 0
      ? 'It has no stored plans.'
      : `Its ${plural(i.plans, 'stored plan')} ${i.plans === 1 ? 'is' : 'are'} deleted with their entries${i.openPlans ? `, including ${plural(i.openPlans, 'open plan')} (draft or approved) that can then no longer be executed` : ''}.`,
    `Its disk-usage history (${plural(i.samples, 'sample')}) is deleted.`,
    `Its ${plural(i.runs, 'rotation run')} stay${i.runs === 1 ? 's' : ''} in the rotation history, marked as a removed root; the audit log keeps every event.`,
    `No file in ${i.path} is touched.`,
  ];
}

async function impactIn(tx: Prisma.TransactionClient | Db, root: { id: string; name: string; path: string; schedule: string | null; executingPlanId: string | null }): Promise<RootRemovalImpact> {
  const [plans, openPlans, runs, samples, executing] = await Promise.all([
    tx.retentionPlan.count({ where: { rootId: root.id } }),
    tx.retentionPlan.count({ where: { rootId: root.id, status: { in: ['draft', 'approved'] } } }),
    tx.rotationRun.count({ where: { rootId: root.id } }),
    tx.diskUsageSample.count({ where: { rootId: root.id } }),
    tx.retentionPlan.findFirst({ where: { rootId: root.id, status: 'executing' }, select: { id: true } }),
  ]);
  return { id: root.id, name: root.name, path: root.path, schedule: root.schedule, plans, openPlans, runs, samples, executingPlanId: root.executingPlanId ?? executing?.id ?? null };
}

/** A root by id, or by name (the CLI accepts either). */
export async function findRootRef(db: Db, ref: string) {
  const root = (await db.artifactRoot.findUnique({ where: { id: ref } })) ?? (await db.artifactRoot.findUnique({ where: { name: ref } }));
  if (!root) throw new ServiceError('not_found', `No artifact root with id or name "${ref}"`);
  return root;
}

/** What removing the root would do (for the confirmation). */
export async function rootRemovalImpact(db: Db, ref: string): Promise<RootRemovalImpact> {
  return impactIn(db, await findRootRef(db, ref));
}

const busy = (i: RootRemovalImpact) =>
  new ServiceError('conflict', `Root "${i.name}" has a cleanup in progress (plan ${i.executingPlanId}); remove it when that plan has finished.`);

export async function removeRoot(db: Db, actor: Actor, rootId: string): Promise<RootRemovalImpact> {
  return db.$transaction(async (tx) => {
    // Lock the row first: an execution takes its lease by updating this row, so it waits for this
    // transaction, then finds no root. Without the lock it could start between check and delete.
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>('SELECT "id" FROM "artifact_roots" WHERE "id" = $1 FOR UPDATE', rootId);
    if (locked.length === 0) throw new ServiceError('not_found', `No artifact root with id ${rootId}`);
    const root = await tx.artifactRoot.findUniqueOrThrow({ where: { id: rootId } });
    const impact = await impactIn(tx, root);
    if (impact.executingPlanId) throw busy(impact);
    // Runs outlive the root (FK: SET NULL); their plans do not, so drop the link to a deleted plan.
    await tx.rotationRun.updateMany({ where: { rootId }, data: { planId: null } });
    await tx.artifactRoot.delete({ where: { id: rootId } });
    await recordAudit(tx, actor, {
      action: 'retention.root.delete',
      targetType: 'artifact-root',
      targetId: rootId,
      summary: `Removed root "${root.name}" (${root.path}): ${impact.plans} plan(s) and ${impact.samples} sample(s) deleted, ${impact.runs} rotation run(s) kept; no files were touched`,
      before: { name: root.name, path: root.path, policy: root.policy, schedule: root.schedule, scheduleMode: root.scheduleMode },
      after: { plansDeleted: impact.plans, openPlansDeleted: impact.openPlans, samplesDeleted: impact.samples, runsKept: impact.runs },
    });
    return impact;
  });
}
