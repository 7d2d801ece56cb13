/**
 * Notification events for perf regressions (issue 10): one when a regression is confirmed on a
 * base branch (opened), one when a run brings it back (fixed). regressions.ts calls
 * `enqueuePerfEvent` in the transaction that writes the regression row.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { NotificationEvent } from '@/lib/engine/notifications';
import { getEnv } from '@/lib/env';
import { enqueueNotifications } from './enqueue';

export interface PerfEventInput {
  kind: 'regression' | 'fixed';
  project: string;
  regressionId: string;
  metric: { id: string; name: string; measure: string };
  branch: string;
  testbed: string;
  worsePct: number;
  reason: string;
  runId: string;
}

export function perfEvent(e: PerfEventInput, now: Date, baseUrl = getEnv().STEWARD_BASE_URL ?? null): NotificationEvent {
  const name = e.metric.measure === 'latency' ? e.metric.name : `${e.metric.name} (${e.metric.measure})`;
  return {
    kind: e.kind === 'regression' ? 'perf.regression' : 'perf.fixed',
    eventId: crypto.randomUUID(), occurredAt: now.toISOString(), project: e.project,
    subject: { type: 'perf_metric', id: e.metric.id, name },
    summary: e.reason,
    details: [{ label: 'Branch', value: e.branch }, { label: 'Testbed', value: e.testbed }, { label: 'Worse by', value: `${e.worsePct.toFixed(1)} %` }, { label: 'Run', value: e.runId }],
    url: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/performance/${encodeURIComponent(e.project)}/metrics/${encodeURIComponent(e.metric.id)}` : null,
  };
}

export async function enqueuePerfEvent(tx: Db | Prisma.TransactionClient, e: PerfEventInput, now: Date): Promise<number> {
  return enqueueNotifications(tx, perfEvent(e, now), now);
}
