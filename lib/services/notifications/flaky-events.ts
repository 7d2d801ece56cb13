/**
 * Notification events for the flaky-test state changes (issue 9). The flaky services call
 * `enqueueTestEvent` in the transaction that writes the test_events row.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { isEventKind, type NotificationEvent } from '@/lib/engine/notifications';
import { getEnv } from '@/lib/env';
import { enqueueNotifications } from './enqueue';

export interface TestEventInput {
  /** The test_events kind: quarantined | unquarantined | eligible | broken | recovered (others are ignored). */
  kind: string;
  reason: string;
  actorLabel: string;
  project: string;
  test: { id: string; name: string; classname: string; file?: string | null };
}

export function testEvent(e: TestEventInput, now: Date, baseUrl = getEnv().STEWARD_BASE_URL ?? null): NotificationEvent | null {
  const kind = `flaky.${e.kind}`;
  if (!isEventKind(kind)) return null;
  const details = [{ label: 'Class', value: e.test.classname }, ...(e.test.file ? [{ label: 'File', value: e.test.file }] : []), { label: 'By', value: e.actorLabel }];
  return {
    kind, eventId: crypto.randomUUID(), occurredAt: now.toISOString(), project: e.project,
    subject: { type: 'test', id: e.test.id, name: e.test.name }, summary: e.reason, details,
    url: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/flaky/${encodeURIComponent(e.project)}/tests/${encodeURIComponent(e.test.id)}` : null,
  };
}

/** Enqueues the notification for one test event inside `tx`; a kind nobody notifies on is a no-op. */
export async function enqueueTestEvent(tx: Db | Prisma.TransactionClient, e: TestEventInput, now: Date): Promise<number> {
  const ev = testEvent(e, now);
  return ev ? enqueueNotifications(tx, ev, now) : 0;
}
