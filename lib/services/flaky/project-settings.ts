/**
 * A project's flaky-test settings (admin): the policy (any subset of fields; the rest keep the
 * seed's defaults) and its CODEOWNERS text. Validated before anything is stored; one audit row
 * with before → after. The policy applies from the next evaluation on.
 */
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { DEFAULT_FLAKY_POLICY, parseFlakyPolicy, type FlakyPolicy } from '@/lib/engine/flaky';
import { parseCodeowners } from '@/lib/engine/flaky/codeowners';
import { safeText } from '@/lib/validation';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { projectKeySchema } from './projects';

export const projectSettingsSchema = z.object({
  key: projectKeySchema,
  policy: z.record(z.string(), z.unknown()).optional(),
  codeowners: safeText(64 * 1024).nullable().optional(),
});

/** Only the fields that differ from the defaults are stored, so later default changes apply. */
function overrides(p: FlakyPolicy): Partial<FlakyPolicy> {
  const out: Partial<FlakyPolicy> = {};
  for (const k of Object.keys(DEFAULT_FLAKY_POLICY) as (keyof FlakyPolicy)[]) {
    if (JSON.stringify(p[k]) !== JSON.stringify(DEFAULT_FLAKY_POLICY[k])) (out as Record<string, unknown>)[k] = p[k];
  }
  return out;
}

export async function updateProjectSettings(db: Db, actor: Actor, raw: z.input<typeof projectSettingsSchema>, now = new Date()) {
  const parsed = projectSettingsSchema.safeParse(raw);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const { key, policy, codeowners } = parsed.data;
  const p = await db.project.findUnique({ where: { key } });
  if (!p) throw new ServiceError('not_found', `No project "${key}".`);
  const data: { policy?: object; codeowners?: string | null } = {};
  if (policy !== undefined) {
    const r = parseFlakyPolicy(policy);
    if (!r.ok) throw invalid(r.errors.map((e) => ({ field: `policy.${e.path}`, message: e.message })));
    data.policy = overrides(r.policy);
  }
  if (codeowners !== undefined) {
    const text = codeowners?.trim() ? codeowners : null;
    if (text && parseCodeowners(text).length === 0) throw invalid([{ field: 'codeowners', message: 'has no rule: write lines like "src/payments/ @team-payments"' }]);
    data.codeowners = text;
  }
  if (!Object.keys(data).length) return { key, changed: false };
  await db.$transaction(async (tx) => {
    await tx.project.update({ where: { id: p.id }, data });
    await recordAudit(tx, actor, {
      at: now, action: 'project.update', targetType: 'project', targetId: p.id,
      summary: `Changed ${Object.keys(data).join(' and ')} of project "${key}"`,
      before: { ...(data.policy ? { policy: p.policy } : {}), ...('codeowners' in data ? { codeowners: p.codeowners } : {}) },
      after: data,
    });
  });
  return { key, changed: true };
}
