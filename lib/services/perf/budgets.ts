/** A project's budgets per profile (admin): set, import (the seed's SLO_* variables), list. */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, zodIssues } from '../errors';
import { requireProject, type ProjectScope } from '../flaky/projects';
import { profileSchema } from './run-input';

const name = z.string().trim().min(1, 'is required').max(300).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const setBudgetsSchema = z.object({
  project: z.string(),
  profile: profileSchema,
  budgets: z.array(z.object({ metric: name, measure: name.default('latency'), limit: z.number().finite().min(0, 'must be 0 or more') })).max(1000),
  /** Remove the profile's budgets that are not in the list. */
  replace: z.boolean().default(false),
});

export interface BudgetDto { metric: string; measure: string; profile: string; limit: number; updatedAt: string; updatedBy: string }

export async function setBudgets(db: Db, actor: Actor, raw: z.input<typeof setBudgetsSchema>, now = new Date()): Promise<BudgetDto[]> {
  const r = setBudgetsSchema.safeParse(raw);
  if (!r.success) throw invalid(zodIssues(r.error.issues));
  const { profile, budgets, replace } = r.data;
  const project = await requireProject(db, actor, r.data.project);
  const keys = new Set<string>();
  for (const [i, b] of budgets.entries()) {
    const k = `${b.metric}\u0000${b.measure}`;
    if (keys.has(k)) throw invalid([{ field: `budgets[${i}]`, message: `"${b.metric}" (${b.measure}) is listed twice` }]);
    keys.add(k);
  }
  await db.$transaction(async (tx) => {
    const before = await tx.perfBudget.findMany({ where: { projectId: project.id, profile }, select: { metric: true, measure: true, limit: true } });
    if (replace) await tx.perfBudget.deleteMany({ where: { projectId: project.id, profile } });
    for (const b of budgets) {
      await tx.perfBudget.upsert({
        where: { projectId_metric_measure_profile: { projectId: project.id, metric: b.metric, measure: b.measure, profile } },
        create: { id: crypto.randomUUID(), projectId: project.id, metric: b.metric, measure: b.measure, profile, limit: b.limit, updatedAt: now, updatedBy: actor.label },
        update: { limit: b.limit, updatedAt: now, updatedBy: actor.label },
      });
    }
    await recordAudit(tx, actor, {
      at: now, action: 'perf.budgets.set', targetType: 'project', targetId: project.id,
      summary: `${replace ? 'Replaced' : 'Set'} ${budgets.length} ${profile} budget(s) of "${project.key}"`,
      before: { budgets: before }, after: { budgets: budgets.map((b) => ({ metric: b.metric, measure: b.measure, limit: b.limit })) },
    });
  });
  return listBudgets(db, actor, project.key, profile);
}

export async function listBudgets(db: Db, scope: ProjectScope, projectKey: string, profile?: string): Promise<BudgetDto[]> {
  const project = await requireProject(db, scope, projectKey);
  const rows = await db.perfBudget.findMany({ where: { projectId: project.id, ...(profile ? { profile } : {}) }, orderBy: [{ profile: 'asc' }, { metric: 'asc' }, { measure: 'asc' }] });
  return rows.map((b) => ({ metric: b.metric, measure: b.measure, profile: b.profile, limit: b.limit, updatedAt: b.updatedAt.toISOString(), updatedBy: b.updatedBy }));
}
