/**
 * The outbox. `enqueueNotifications` is called with the transaction that writes the state
 * change it announces: if that transaction rolls back, no delivery exists; if it commits, the
 * deliveries do, and the notifications-deliver job sends them. Never send from inside a
 * transaction: a send cannot be rolled back.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { matchChannels, type NotificationEvent } from '@/lib/engine/notifications';

type Writer = Db | Prisma.TransactionClient;

/** Writes one pending delivery per matching enabled channel; returns how many. Idempotent per (eventId, channel). */
export async function enqueueNotifications(tx: Writer, events: NotificationEvent | NotificationEvent[], now: Date): Promise<number> {
  const list = Array.isArray(events) ? events : [events];
  if (!list.length) return 0;
  // One after another: this runs inside the caller's transaction, on one connection.
  const channels = await tx.notificationChannel.findMany({ where: { enabled: true }, select: { id: true, enabled: true } });
  if (!channels.length) return 0;
  const rules = await tx.notificationRule.findMany({ select: { channelId: true, projectKey: true, kinds: true } });
  if (!channels.length || !rules.length) return 0;
  const data = list.flatMap((e) =>
    matchChannels(rules, channels, e).map((channelId) => ({
      id: crypto.randomUUID(), eventId: e.eventId, kind: e.kind, subjectId: e.subject.id, projectKey: e.project,
      payload: JSON.parse(JSON.stringify(e)) as object, channelId, status: 'pending', nextAttemptAt: now, createdAt: now,
    })),
  );
  if (!data.length) return 0;
  const { count } = await tx.notificationDelivery.createMany({ data, skipDuplicates: true });
  return count;
}
