/**
 * Notification events of cron checks (issue 11, part 1): `cron.down` when a check goes down,
 * `cron.up` when a check that was announced down is up again. The cron services build them in
 * the transaction that writes the flip (lib/services/cron/flips.ts), so a flip and its outbox
 * rows commit together or not at all. Checks belong to no project: only rules for every project
 * route them.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { NotificationEvent } from '@/lib/engine/notifications';
import { getEnv } from '@/lib/env';
import { enqueueNotifications } from './enqueue';

export interface CronEventInput {
  kind: 'down' | 'up';
  check: { id: string; name: string; type: string; tags: string[]; scheduleText: string };
  from: string;
  to: string;
  /** The engine's sentence for the new state. */
  reason: string;
  /** When it went down (cron.up: how long it was down). */
  downSince?: Date | null;
}

function span(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} days ${h % 24} h`;
}

export function cronEvent(e: CronEventInput, now: Date, baseUrl = getEnv().STEWARD_BASE_URL ?? null): NotificationEvent {
  const details = [
    { label: 'Type', value: e.check.type === 'freshness' ? 'artifact freshness' : 'ping' },
    { label: 'Schedule', value: e.check.scheduleText },
    { label: 'Was', value: e.from },
    ...(e.kind === 'up' && e.downSince ? [{ label: 'Down for', value: span(now.getTime() - e.downSince.getTime()) }] : []),
    ...(e.check.tags.length ? [{ label: 'Tags', value: e.check.tags.join(', ') }] : []),
  ];
  return {
    kind: e.kind === 'down' ? 'cron.down' : 'cron.up',
    eventId: crypto.randomUUID(), occurredAt: now.toISOString(), project: null,
    subject: { type: 'check', id: e.check.id, name: e.check.name },
    summary: e.reason,
    details,
    url: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/cron/${encodeURIComponent(e.check.id)}` : null,
  };
}

/** Enqueues already-built events inside `tx` (one read of channels and rules for the batch). */
export async function enqueueCronEvents(tx: Db | Prisma.TransactionClient, events: NotificationEvent[], now: Date): Promise<number> {
  return enqueueNotifications(tx, events, now);
}
