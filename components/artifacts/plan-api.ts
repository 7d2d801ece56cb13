import type { EntryRow } from '@/lib/services/retention/entries-query';
import type { PlanSummary } from '@/lib/services/retention/plans';
import { toQuery } from './format';

export type { EntryRow, PlanSummary };

/** Plan statuses during which the plan page polls for progress. */
export const ACTIVE_STATUSES: readonly string[] = ['approved', 'executing'];

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { cache: 'no-store', headers: { accept: 'application/json' }, signal });
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `Request failed with status ${res.status}`);
  return body as T;
}

export function fetchPlan(planId: string, signal?: AbortSignal): Promise<PlanSummary> {
  return getJson<PlanSummary>(`/api/v1/artifacts/plans/${encodeURIComponent(planId)}`, signal);
}

export interface EntryFilter {
  kind?: string;
  ruleId?: string;
  reason?: string;
  status?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export function fetchEntries(planId: string, f: EntryFilter, signal?: AbortSignal): Promise<{ rows: EntryRow[]; total: number }> {
  return getJson(`/api/v1/artifacts/plans/${encodeURIComponent(planId)}/entries?${toQuery({ ...f })}`, signal);
}

/** Actions processed so far: every journalled outcome (done, skipped, failed). */
export function processedOf(progress: Record<string, number>) {
  const done = progress.done ?? 0;
  const skipped = progress.skipped ?? 0;
  const failed = progress.failed ?? 0;
  return { done, skipped, failed, processed: done + skipped + failed };
}
