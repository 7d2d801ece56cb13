import type { BadgeTone } from '@/components/ui/badge';

export { formatDuration } from '@/lib/engine/units';

/** "0.84 %" (two decimals: the seed's target is 1 %), or "—" when there is too little data. */
export function formatRate(r: number | null | undefined): string {
  return r === null || r === undefined || !Number.isFinite(r) ? '—' : `${(r * 100).toFixed(2)} %`;
}

export const OUTCOME: Record<string, { label: string; tone: BadgeTone; cell: string }> = {
  passed: { label: 'passed', tone: 'green', cell: 'bg-emerald-500 dark:bg-emerald-400' },
  failed: { label: 'failed', tone: 'red', cell: 'bg-red-600 dark:bg-red-500' },
  error: { label: 'error', tone: 'red', cell: 'bg-red-800 dark:bg-red-700' },
  flaky: { label: 'flaky', tone: 'amber', cell: 'bg-amber-500 dark:bg-amber-400' },
  skipped: { label: 'skipped', tone: 'neutral', cell: 'bg-zinc-300 dark:bg-zinc-600' },
};

export const TICKET_TONE: Record<string, BadgeTone> = { open: 'amber', investigating: 'blue', fixed: 'green', wontfix: 'neutral' };
/** How a ticket status reads wherever it is shown (the stored value is `wontfix`). */
export const TICKET_LABEL: Record<string, string> = { open: 'open', investigating: 'investigating', fixed: 'fixed', wontfix: "won't fix" };

/** A test's display name: `classname › name`, or the name alone. */
export function testLabel(t: { classname: string; name: string }): string {
  return t.classname ? `${t.classname} › ${t.name}` : t.name;
}

export const shortSha = (c: string | null) => (c ? c.slice(0, 8) : '—');
