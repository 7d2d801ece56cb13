import { formatDateTime, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Stat } from '@/components/ui/card';
import type { RunRow } from '@/lib/services/retention/history-queries';
import { PlanStatusBadge } from './badges';
import { formatBytes } from './format';
import type { PlanSummary } from './plan-api';

const limitBadge = (within: boolean) => (within ? <Badge tone="green">within limit</Badge> : <Badge tone="red">over the limit</Badge>);

/**
 * The plan's headline figures. Before it runs: the stored totals, in the future tense. Once it
 * has run: what happened (the stored rotation run) next to what was planned, in the past tense,
 * so "Frees 38.5 MB" never sits above a result that freed 39.6 MB.
 */
export function PlanTotals({ plan, run }: { plan: PlanSummary; run: RunRow | null }) {
  const t = plan.totals;
  const cap = t.maxSizeBytes === null ? 'no size cap' : `cap ${formatBytes(t.maxSizeBytes)}`;
  const ran = plan.status === 'done' && run !== null;
  return (
    <div className="space-y-5">
      {ran ? (
        <dl className="grid grid-cols-2 gap-5 lg:grid-cols-4" aria-label="Planned and actual">
          <Stat label="Deleted" value={formatNumber(run.deleted)} hint={`planned ${formatNumber(t.filesToDelete)} of ${formatNumber(t.filesScanned)} scanned`} />
          <Stat label="Compressed" value={formatNumber(run.compressed)} hint={`planned ${formatNumber(t.filesToCompress)} · ${formatNumber(run.skipped)} skipped · ${formatNumber(run.failures)} failed`} />
          <Stat label="Freed" value={formatBytes(run.bytesFreed)} hint={`planned ${formatBytes(t.bytesFreed)} (compression was estimated)`} />
          <Stat label="Size before → after" value={<span className="text-lg sm:text-2xl">{formatBytes(t.bytesBefore)} → {formatBytes(run.sizeAfterBytes)}</span>}
            hint={<>planned → {formatBytes(t.bytesAfter)} · {cap}{t.maxSizeBytes !== null && <> · {limitBadge(run.withinLimit)}</>}</>} />
        </dl>
      ) : plan.status === 'done' || plan.status === 'failed' ? (
        // Ran, but no rotation run was stored (it failed part-way): only the plan is known.
        <dl className="grid grid-cols-2 gap-5 lg:grid-cols-4" aria-label="Planned">
          <Stat label="Planned deletes" value={formatNumber(t.filesToDelete)} hint={`of ${formatNumber(t.filesScanned)} scanned`} />
          <Stat label="Planned compressions" value={formatNumber(t.filesToCompress)} hint={`${formatNumber(t.filesKept)} kept`} />
          <Stat label="Was to free" value={formatBytes(t.bytesFreed)} hint="no result was recorded" />
          <Stat label="Planned size" value={<span className="text-lg sm:text-2xl">{formatBytes(t.bytesBefore)} → {formatBytes(t.bytesAfter)}</span>} hint={cap} />
        </dl>
      ) : (
        <dl className="grid grid-cols-2 gap-5 lg:grid-cols-4" aria-label="Planned">
          <Stat label="Files to delete" value={formatNumber(t.filesToDelete)} hint={`of ${formatNumber(t.filesScanned)} scanned`} />
          <Stat label="Files to compress" value={formatNumber(t.filesToCompress)} hint={`${formatNumber(t.filesKept)} kept`} />
          <Stat label="Frees" value={formatBytes(t.bytesFreed)} hint="compression savings are estimated" />
          <Stat label="Size before → after" value={<span className="text-lg sm:text-2xl">{formatBytes(t.bytesBefore)} → {formatBytes(t.bytesAfter)}</span>}
            hint={<>{cap}{t.maxSizeBytes !== null && <> · {limitBadge(t.withinLimit)}</>}</>} />
        </dl>
      )}
      <dl className="grid gap-3 border-t border-zinc-200 pt-4 text-sm sm:grid-cols-2 lg:grid-cols-4 dark:border-zinc-800">
        <div><dt className="text-zinc-600 dark:text-zinc-400">Status</dt><dd className="mt-0.5"><PlanStatusBadge status={plan.status} /></dd></div>
        <div><dt className="text-zinc-600 dark:text-zinc-400">Created</dt><dd className="mt-0.5 break-words">{formatDateTime(plan.createdAt)} by {plan.createdBy}</dd></div>
        {ran ? (
          <div><dt className="text-zinc-600 dark:text-zinc-400">Executed</dt><dd className="mt-0.5 break-words">{formatDateTime(run.at)} by {run.executedBy}</dd></div>
        ) : (
          <div><dt className="text-zinc-600 dark:text-zinc-400">{plan.status === 'expired' ? 'Expired' : 'Expires'}</dt><dd className="mt-0.5">{formatDateTime(plan.expiresAt)}</dd></div>
        )}
        <div><dt className="text-zinc-600 dark:text-zinc-400">Approved</dt><dd className="mt-0.5 break-words">{plan.approvedBy ? `${formatDateTime(plan.approvedAt)} by ${plan.approvedBy}` : 'not yet'}</dd></div>
      </dl>
    </div>
  );
}
