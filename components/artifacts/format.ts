import type { BadgeTone } from '@/components/ui/badge';

import { formatBytes as formatBytesUnit } from '@/lib/engine/units';

export { formatBytes, formatDuration } from '@/lib/engine/units';

/** "87.3 %" (one decimal), or "—" when unknown. */
export function formatPct(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : `${n.toFixed(1)} %`;
}

export const PLAN_STATUS_TONE: Record<string, BadgeTone> = {
  draft: 'blue',
  approved: 'blue',
  executing: 'amber',
  done: 'green',
  failed: 'red',
  expired: 'neutral',
  invalidated: 'neutral',
};

export const ROOT_STATE: Record<string, { label: string; tone: BadgeTone }> = {
  ok: { label: 'OK', tone: 'green' },
  executing: { label: 'Cleaning up', tone: 'amber' },
  'over-cap': { label: 'Over cap', tone: 'red' },
  failing: { label: 'Schedule failing', tone: 'red' },
};

export const LEVEL_TONE: Record<string, BadgeTone> = { ok: 'green', warn: 'amber', critical: 'red' };

/** Bar fill colour per level: green below warn, amber at warn, red at critical. */
export const LEVEL_BAR: Record<string, string> = {
  ok: 'bg-emerald-500 dark:bg-emerald-400',
  warn: 'bg-amber-500 dark:bg-amber-400',
  critical: 'bg-red-600 dark:bg-red-500',
};

/** Query string from the non-empty values. */
export function toQuery(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

/**
 * "2026-12-01 19:32 UTC · done · freed 39.6 MB (planned 38.5 MB)" for a run; a plan that has not
 * run says what it would free, in the future tense.
 */
export function lastRunText(r: { at: string; status: string; bytesFreed: number | null; plannedBytesFreed: number | null } | null, when: (iso: string) => string): string {
  if (!r) return 'never';
  const head = `${when(r.at)} · ${r.status}`;
  if (r.bytesFreed !== null) return `${head} · freed ${formatBytesUnit(r.bytesFreed)}${r.plannedBytesFreed !== null ? ` (planned ${formatBytesUnit(r.plannedBytesFreed)})` : ''}`;
  if (r.plannedBytesFreed !== null && (r.status === 'draft' || r.status === 'approved' || r.status === 'executing')) return `${head} · would free ${formatBytesUnit(r.plannedBytesFreed)}`;
  return head;
}

/** formatBytes with a thousands separator: "1,000 MB" (binary units stop below 1024). */
export function formatBytesGrouped(n: number): string {
  return formatBytesUnit(n).replace(/^-?\d{4,}/, (d) => Number(d).toLocaleString('en-US'));
}
