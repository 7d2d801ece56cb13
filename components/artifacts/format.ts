import type { BadgeTone } from '@/components/ui/badge';

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
