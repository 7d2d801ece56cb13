/**
 * Ping keys: the `<ping-key>` of `/ping/<ping-key>/<slug>` URLs (Healthchecks' per-project ping
 * key). 16 random bytes, base64url: 22 URL-safe characters. Anyone holding one can ping (and with
 * `?create=1` create) checks under it, so only admins make and delete them. Deleting a key leaves
 * its checks reachable by their uuid URLs only.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { requireRole } from './authz';
import { pingKeyNameSchema } from './input';

export interface PingKeyDto {
  id: string;
  name: string;
  key: string;
  createdAt: string;
  createdBy: string;
  /** Checks addressed by <key>/<slug>. */
  checks: number;
}

export async function listPingKeys(db: Db, actor: Actor): Promise<PingKeyDto[]> {
  // A ping key creates checks (`?create=1`): viewers, who may not create checks, never see one.
  requireRole(actor, 'operator', 'Reading ping keys');
  const rows = await db.cronPingKey.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { checks: true } } } });
  return rows.map((r) => ({ id: r.id, name: r.name, key: r.key, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy, checks: r._count.checks }));
}

export async function createPingKey(db: Db, actor: Actor, name: string, now: Date): Promise<PingKeyDto> {
  requireRole(actor, 'admin', 'Creating a ping key');
  const parsed = pingKeyNameSchema.safeParse(name);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues).map((i) => ({ ...i, field: 'name' })));
  const id = crypto.randomUUID();
  const key = crypto.randomBytes(16).toString('base64url');
  try {
    await db.$transaction(async (tx) => {
      await tx.cronPingKey.create({ data: { id, name: parsed.data, key, createdAt: now, createdBy: actor.label } });
      await recordAudit(tx, actor, { at: now, action: 'cron.ping_key.create', targetType: 'ping_key', targetId: id, summary: `Created ping key "${parsed.data}"` });
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') throw new ServiceError('conflict', `A ping key named "${parsed.data}" exists.`, [{ field: 'name', message: 'already used' }]);
    throw e;
  }
  return { id, name: parsed.data, key, createdAt: now.toISOString(), createdBy: actor.label, checks: 0 };
}

export async function deletePingKey(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  requireRole(actor, 'admin', 'Deleting a ping key');
  await db.$transaction(async (tx) => {
    const row = await tx.cronPingKey.findUnique({ where: { id }, include: { _count: { select: { checks: true } } } });
    if (!row) throw new ServiceError('not_found', 'No such ping key.');
    await tx.cronPingKey.delete({ where: { id } });
    await recordAudit(tx, actor, {
      at: now, action: 'cron.ping_key.delete', targetType: 'ping_key', targetId: id,
      summary: `Deleted ping key "${row.name}"${row._count.checks ? `; ${row._count.checks} check(s) keep only their uuid URLs` : ''}`,
    });
  });
}
