import { formatDateTime, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Stat } from '@/components/ui/card';
import { PlanStatusBadge } from './badges';
import { formatBytes } from './format';
import type { PlanSummary } from './plan-api';

/** The plan's headline figures, from the stored totals. */
export function PlanTotals({ plan }: { plan: PlanSummary }) {
  const t = plan.totals;
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-2 gap-5 lg:grid-cols-4">
        <Stat label="Files to delete" value={formatNumber(t.filesToDelete)} hint={`of ${formatNumber(t.filesScanned)} scanned`} />
        <Stat label="Files to compress" value={formatNumber(t.filesToCompress)} hint={`${formatNumber(t.filesKept)} kept`} />
        <Stat label="Frees" value={formatBytes(t.bytesFreed)} hint="compression savings are estimated" />
        <Stat label="Size before → after" value={<span className="text-lg sm:text-2xl">{formatBytes(t.bytesBefore)} → {formatBytes(t.bytesAfter)}</span>}
          hint={t.maxSizeBytes === null ? 'no size cap' : <>cap {formatBytes(t.maxSizeBytes)} · {t.withinLimit ? <Badge tone="green">within limit</Badge> : <Badge tone="red">over the limit</Badge>}</>} />
      </dl>
      <dl className="grid gap-3 border-t border-zinc-200 pt-4 text-sm sm:grid-cols-2 lg:grid-cols-4 dark:border-zinc-800">
        <div><dt className="text-zinc-600 dark:text-zinc-400">Status</dt><dd className="mt-0.5"><PlanStatusBadge status={plan.status} /></dd></div>
        <div><dt className="text-zinc-600 dark:text-zinc-400">Created</dt><dd className="mt-0.5 break-words">{formatDateTime(plan.createdAt)} by {plan.createdBy}</dd></div>
        <div><dt className="text-zinc-600 dark:text-zinc-400">Expires</dt><dd className="mt-0.5">{formatDateTime(plan.expiresAt)}</dd></div>
        <div><dt className="text-zinc-600 dark:text-zinc-400">Approved</dt><dd className="mt-0.5 break-words">{plan.approvedBy ? `${formatDateTime(plan.approvedAt)} by ${plan.approvedBy}` : 'not yet'}</dd></div>
      </dl>
    </div>
  );
}
