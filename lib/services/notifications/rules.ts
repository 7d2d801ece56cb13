/** Routing rules (admin): a channel receives events of some kinds, of one project or of all. */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { isKindPattern } from '@/lib/engine/notifications';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import type { RuleDto } from './channel-config';

export const ruleInputSchema = z.object({
  channelId: z.string().uuid('is not a channel id'),
  /** A project key, or null / empty for every project. */
  projectKey: z.string().trim().max(64).nullish().transform((v) => v || null),
  kinds: z.array(z.string().refine(isKindPattern, 'is not an event kind')).min(1, 'choose at least one event kind').max(50).transform((k) => [...new Set(k)].sort()),
});

export async function createRule(db: Db, actor: Actor, raw: z.input<typeof ruleInputSchema>, now = new Date()): Promise<RuleDto> {
  const p = ruleInputSchema.safeParse(raw);
  if (!p.success) throw invalid(zodIssues(p.error.issues));
  const { channelId, projectKey, kinds } = p.data;
  const channel = await db.notificationChannel.findUnique({ where: { id: channelId }, select: { name: true } });
  if (!channel) throw invalid([{ field: 'channelId', message: 'no such channel' }]);
  if (projectKey && !(await db.project.findUnique({ where: { key: projectKey }, select: { id: true } }))) throw invalid([{ field: 'projectKey', message: 'no such project' }]);
  const id = crypto.randomUUID();
  const rule = { id, projectKey, kinds };
  await db.$transaction(async (tx) => {
    await tx.notificationRule.create({ data: { id, channelId, projectKey, kinds, createdAt: now } });
    await recordAudit(tx, actor, { at: now, action: 'notification.rule.create', targetType: 'notification_channel', targetId: channelId, summary: `Routed ${kinds.join(', ')} of ${projectKey ?? 'every project'} to ${channel.name}`, after: rule });
  });
  return rule;
}

export async function deleteRule(db: Db, actor: Actor, ruleId: string, now = new Date()): Promise<{ id: string }> {
  const rule = await db.notificationRule.findUnique({ where: { id: ruleId }, include: { channel: { select: { name: true } } } });
  if (!rule) throw new ServiceError('not_found', 'No such rule.', [{ field: 'ruleId', message: 'not found' }]);
  await db.$transaction(async (tx) => {
    await tx.notificationRule.delete({ where: { id: ruleId } });
    await recordAudit(tx, actor, { at: now, action: 'notification.rule.delete', targetType: 'notification_channel', targetId: rule.channelId, summary: `Removed the rule routing ${rule.kinds.join(', ')} of ${rule.projectKey ?? 'every project'} to ${rule.channel.name}`, before: { id: rule.id, projectKey: rule.projectKey, kinds: rule.kinds } });
  });
  return { id: ruleId };
}
