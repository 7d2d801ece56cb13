/**
 * Notification events of soak runs: `soak.leak` when a run's leak verdict is "leak", `soak.failed`
 * when a criterion failed (a leak run raises both: rules choose). Enqueued by ingest in the
 * transaction that stores the run.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { NotificationEvent } from '@/lib/engine/notifications';
import { getEnv } from '@/lib/env';
import { enqueueNotifications } from '../notifications/enqueue';

export interface SoakEventInput {
  kind: 'leak' | 'failed';
  project: string;
  runId: string;
  runName: string;
  summary: string;
  failed: { label: string; detail: string }[];
}

export function soakEvent(e: SoakEventInput, now: Date, baseUrl = getEnv().STEWARD_BASE_URL ?? null): NotificationEvent {
  return {
    kind: e.kind === 'leak' ? 'soak.leak' : 'soak.failed',
    eventId: crypto.randomUUID(), occurredAt: now.toISOString(), project: e.project,
    subject: { type: 'soak_run', id: e.runId, name: e.runName },
    summary: e.summary,
    details: e.failed.slice(0, 9).map((f) => ({ label: f.label, value: f.detail.slice(0, 300) })),
    url: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/soak/${encodeURIComponent(e.runId)}` : null,
  };
}

export async function enqueueSoakEvents(tx: Db | Prisma.TransactionClient, events: SoakEventInput[], now: Date): Promise<number> {
  return enqueueNotifications(tx, events.map((e) => soakEvent(e, now)), now);
}
