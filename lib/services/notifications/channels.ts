/**
 * Notification channels: create, update, enable/disable, delete (admin; the action wrapper checks
 * the role). Each writes one audit row with before → after, secrets shown only as "set".
 * No read here selects the `secret` column; deliver.ts is the only code that opens it.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { auditView, CHANNEL_PUBLIC_SELECT, channelInputSchema, hintOf, isChannelType, secretOf, settingsOf, type ChannelDto, type ChannelInput, type ChannelSettings } from './channel-config';
import { sealSecret } from './secret-box';
import { urlProblem } from './transports/http';

type PublicRow = { id: string; name: string; type: string; enabled: boolean; config: unknown; secretHint: string | null; createdBy: string; createdAt: Date; updatedAt: Date };

function toDto(r: PublicRow, secretSet: boolean, rules: { id: string; projectKey: string | null; kinds: string[] }[] = []): ChannelDto {
  if (!isChannelType(r.type)) throw new Error(`unknown channel type ${r.type}`);
  return {
    id: r.id, name: r.name, type: r.type, enabled: r.enabled, config: r.config as ChannelSettings, secretSet, secretHint: r.secretHint,
    createdBy: r.createdBy, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), rules,
  };
}

/** Which channels have a secret, without reading it. */
async function secretSetIds(db: Db, ids: string[]): Promise<Set<string>> {
  const rows = await db.notificationChannel.findMany({ where: { id: { in: ids }, secret: { not: null } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

export async function listChannels(db: Db): Promise<ChannelDto[]> {
  const rows = await db.notificationChannel.findMany({
    select: { ...CHANNEL_PUBLIC_SELECT, rules: { select: { id: true, projectKey: true, kinds: true }, orderBy: { createdAt: 'asc' } } },
    orderBy: { name: 'asc' },
  });
  const set = await secretSetIds(db, rows.map((r) => r.id));
  return rows.map((r) => toDto(r, set.has(r.id), r.rules));
}

export async function getChannel(db: Db, id: string): Promise<ChannelDto> {
  const r = await db.notificationChannel.findUnique({ where: { id }, select: { ...CHANNEL_PUBLIC_SELECT, rules: { select: { id: true, projectKey: true, kinds: true }, orderBy: { createdAt: 'asc' } } } });
  if (!r) throw new ServiceError('not_found', 'No such notification channel.', [{ field: 'channelId', message: 'not found' }]);
  return toDto(r, (await secretSetIds(db, [id])).has(id), r.rules);
}

function parse(raw: unknown): ChannelInput {
  const p = channelInputSchema.safeParse(raw);
  if (!p.success) throw invalid(zodIssues(p.error.issues));
  if (p.data.type !== 'email' && p.data.url) {
    const problem = urlProblem(p.data.url, getEnv().STEWARD_NOTIFY_ALLOW_PRIVATE);
    if (problem) throw invalid([{ field: 'url', message: problem }]);
  }
  return p.data;
}

async function nameTaken(db: Db, name: string, exceptId?: string) {
  const other = await db.notificationChannel.findFirst({ where: { name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { id: true } });
  if (other) throw invalid([{ field: 'name', message: 'another channel has this name' }]);
}

export async function createChannel(db: Db, actor: Actor, raw: unknown, now = new Date()): Promise<ChannelDto> {
  const input = parse(raw);
  const secret = secretOf(input);
  if (input.type !== 'email' && !secret) throw invalid([{ field: 'url', message: 'is required' }]);
  await nameTaken(db, input.name);
  const id = crypto.randomUUID();
  const row = await db.$transaction(async (tx) => {
    const r = await tx.notificationChannel.create({
      data: { id, name: input.name, type: input.type, enabled: input.enabled, config: settingsOf(input) as object, secret: secret ? sealSecret(secret, id) : null, secretHint: hintOf(input.type, secret ?? null), createdBy: actor.label, createdAt: now, updatedAt: now },
      select: CHANNEL_PUBLIC_SELECT,
    });
    const dto = toDto(r, Boolean(secret));
    await recordAudit(tx, actor, { at: now, action: 'notification.channel.create', targetType: 'notification_channel', targetId: id, summary: `Created ${input.type} channel ${input.name}`, after: auditView(dto) });
    return dto;
  });
  return row;
}

export async function updateChannel(db: Db, actor: Actor, id: string, raw: unknown, now = new Date()): Promise<ChannelDto> {
  const before = await getChannel(db, id);
  const input = parse(raw);
  if (input.type !== before.type) throw invalid([{ field: 'type', message: `cannot change a ${before.type} channel into ${input.type}; create a new channel` }]);
  await nameTaken(db, input.name, id);
  const secret = secretOf(input);
  const secretSet = secret === undefined ? before.secretSet : secret !== null;
  return db.$transaction(async (tx) => {
    const r = await tx.notificationChannel.update({
      where: { id },
      data: {
        name: input.name, enabled: input.enabled, config: settingsOf(input) as object, updatedAt: now,
        ...(secret === undefined ? {} : { secret: secret === null ? null : sealSecret(secret, id), secretHint: hintOf(input.type, secret) }),
      },
      select: CHANNEL_PUBLIC_SELECT,
    });
    const after = toDto(r, secretSet, before.rules);
    await recordAudit(tx, actor, {
      at: now, action: 'notification.channel.update', targetType: 'notification_channel', targetId: id, summary: `Updated channel ${after.name}${secret !== undefined ? ' (secret replaced)' : ''}`,
      before: auditView(before), after: { ...auditView(after), ...(secret !== undefined ? { secretChanged: true } : {}) },
    });
    return after;
  });
}

export async function setChannelEnabled(db: Db, actor: Actor, id: string, enabled: boolean, now = new Date()): Promise<ChannelDto> {
  const before = await getChannel(db, id);
  return db.$transaction(async (tx) => {
    const r = await tx.notificationChannel.update({ where: { id }, data: { enabled, updatedAt: now }, select: CHANNEL_PUBLIC_SELECT });
    await recordAudit(tx, actor, { at: now, action: enabled ? 'notification.channel.enable' : 'notification.channel.disable', targetType: 'notification_channel', targetId: id, summary: `${enabled ? 'Enabled' : 'Disabled'} channel ${before.name}`, before: { enabled: before.enabled }, after: { enabled } });
    return toDto(r, before.secretSet, before.rules);
  });
}

/** Deletes the channel with its rules and its delivery log (undelivered ones are dropped). */
export async function deleteChannel(db: Db, actor: Actor, id: string, now = new Date()): Promise<{ id: string }> {
  const before = await getChannel(db, id);
  await db.$transaction(async (tx) => {
    await tx.notificationChannel.delete({ where: { id } });
    await recordAudit(tx, actor, { at: now, action: 'notification.channel.delete', targetType: 'notification_channel', targetId: id, summary: `Deleted channel ${before.name}`, before: auditView(before) });
  });
  return { id };
}
