'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { getEnv } from '@/lib/env';
import { executePlan } from '@/lib/services/retention/execute';
import { approvePlan, previewCleanup } from '@/lib/services/retention/plans';
import { removeRoot } from '@/lib/services/retention/remove-root';
import { allowedBases, newRootSchema, registerRoot, updateRoot, updateRootSchema } from '@/lib/services/retention/roots';

export const registerRootAction = defineAction({ name: 'retention.root.create', role: 'admin', input: newRootSchema }, async (input, { db, actor }) => {
  const root = await registerRoot(db, actor, input, { allowedBases: allowedBases(getEnv()) });
  revalidatePath('/artifacts');
  return { id: root.id };
});

export const updateRootAction = defineAction({ name: 'retention.root.update', role: 'operator', input: updateRootSchema }, async (input, { db, actor }) => {
  const root = await updateRoot(db, actor, input);
  revalidatePath(`/artifacts/${root.id}`);
  return { id: root.id, policyVersion: root.policyVersion };
});

/** Unregisters a root (see remove-root.ts for what happens to its plans, samples and runs). */
export const removeRootAction = defineAction({ name: 'retention.root.delete', role: 'admin', input: z.object({ rootId: z.string().min(1).max(100) }) }, async ({ rootId }, { db, actor }) => {
  const impact = await removeRoot(db, actor, rootId);
  revalidatePath('/artifacts');
  return { name: impact.name };
});

export const previewCleanupAction = defineAction({ name: 'retention.preview', role: 'operator', input: z.object({ rootId: z.string().min(1) }) }, async ({ rootId }, { db, actor, now }) => {
  const plan = await previewCleanup(db, actor, rootId, now);
  return { planId: plan.id };
});

export const approvePlanAction = defineAction({ name: 'retention.approve', role: 'operator', input: z.object({ planId: z.string().min(1) }) }, async ({ planId }, { db, actor, now }) => {
  const plan = await approvePlan(db, actor, planId, now);
  return { planId: plan.id, status: plan.status };
});

/**
 * Approves (if still a draft) and starts executing. Execution runs in the background of this
 * server process; the page follows its progress. Validation errors (expired, policy changed,
 * another run on the root) are returned before anything is touched.
 */
export const approveAndExecuteAction = defineAction({ name: 'retention.execute', role: 'operator', input: z.object({ planId: z.string().min(1) }) }, async ({ planId }, { db, actor, now }) => {
  const plan = await db.retentionPlan.findUnique({ where: { id: planId }, select: { status: true } });
  if (plan?.status === 'draft') await approvePlan(db, actor, planId, now);
  const started = executePlan(db, actor, planId);
  // Surface refusals (conflict, expiry) synchronously; let a started run continue in the background.
  const early = await Promise.race([started.then(() => null, (e: unknown) => e), new Promise((r) => setTimeout(() => r(null), 300))]);
  if (early) throw early;
  started.catch((e: unknown) => console.error(`[retention] execution of plan ${planId} failed:`, e));
  revalidatePath('/artifacts');
  return { planId };
});
