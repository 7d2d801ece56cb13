import { formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import type { RunRow } from '@/lib/services/retention/history-queries';
import { formatBytes, formatDuration } from './format';
import { processedOf, type PlanSummary } from './plan-api';
import { ProblemList } from './problem-list';

/** What a finished execution did: from its rotation run when recorded, else from the journal. */
export function PlanResult({ plan, run }: { plan: PlanSummary; run: RunRow | null }) {
  const { done, skipped, failed } = processedOf(plan.progress);
  const ok = (run?.failures ?? failed) === 0;
  return (
    <div className={ok ? 'rounded-md border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950' : 'rounded-md border border-red-300 bg-red-50 p-4 dark:border-red-800 dark:bg-red-950'}>
      <p className="font-medium">{ok ? 'Cleanup finished.' : 'Cleanup finished with failures.'}</p>
      {run ? (
        <p className="mt-1 text-sm tabular-nums">
          {formatNumber(run.deleted)} deleted · {formatNumber(run.compressed)} compressed · {formatNumber(run.skipped)} skipped · {formatNumber(run.failures)} failed · freed {formatBytes(run.bytesFreed)} in {formatDuration(run.durationMs)}.
          {' '}Size now {formatBytes(run.sizeAfterBytes)} {run.withinLimit ? <Badge tone="green">within limit</Badge> : <Badge tone="red">over the limit</Badge>}
        </p>
      ) : (
        <p className="mt-1 text-sm tabular-nums">{formatNumber(done)} done · {formatNumber(skipped)} skipped · {formatNumber(failed)} failed.</p>
      )}
      {plan.error && <p className="mt-1 text-sm">Note: {plan.error}</p>}
      <ProblemList planId={plan.id} status="failed" />
      <ProblemList planId={plan.id} status="skipped" />
    </div>
  );
}
