/**
 * "Send test message": one delivery of the internal `steward.test` kind to one channel (enabled
 * or not), sent at once through the same path as every other delivery, so it shows in the log.
 * It gets a single attempt: a test that fails says why now instead of retrying for a day.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { TEST_KIND, type NotificationEvent } from '@/lib/engine/notifications';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { getChannel } from './channels';
import { deliverDue } from './deliver';
import type { SendFn } from './transports';

export interface TestResult {
  deliveryId: string;
  status: string;
  error: string | null;
  statusCode: number | null;
}

export async function sendTest(db: Db, actor: Actor, channelId: string, now: Date, opts: { send: SendFn; signal?: AbortSignal }): Promise<TestResult> {
  const channel = await getChannel(db, channelId);
  const deliveryId = crypto.randomUUID();
  const event: NotificationEvent = {
    kind: TEST_KIND, eventId: crypto.randomUUID(), occurredAt: now.toISOString(), project: null,
    subject: { type: 'channel', id: channel.id, name: channel.name },
    summary: `A test message sent by ${actor.label} from Steward's notification settings. Nothing needs doing.`,
    details: [{ label: 'Channel', value: `${channel.name} (${channel.type})` }], url: null, test: true,
  };
  await db.notificationDelivery.create({
    data: { id: deliveryId, eventId: event.eventId, kind: TEST_KIND, subjectId: channel.id, projectKey: null, payload: JSON.parse(JSON.stringify(event)) as object, channelId, status: 'pending', nextAttemptAt: now, createdAt: now },
  });
  await deliverDue(db, now, { send: opts.send, signal: opts.signal, ids: [deliveryId], maxBatches: 1 });
  const row = await db.notificationDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: { status: true, lastError: true, lastStatusCode: true } });
  await recordAudit(db, actor, {
    at: now, action: 'notification.channel.test', targetType: 'notification_channel', targetId: channelId,
    summary: `Sent a test message to ${channel.name}: ${row.status}${row.lastError ? ` (${row.lastError})` : ''}`, outcome: row.status === 'delivered' ? 'ok' : 'error',
  });
  return { deliveryId, status: row.status, error: row.lastError, statusCode: row.lastStatusCode };
}
