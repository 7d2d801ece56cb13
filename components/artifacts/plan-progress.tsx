import { formatNumber } from '@/components/format';
import { processedOf, type PlanSummary } from './plan-api';

/** Live execution progress: journalled outcomes out of all planned actions. */
export function PlanProgress({ plan }: { plan: PlanSummary }) {
  const total = plan.totals.filesToDelete + plan.totals.filesToCompress;
  const { done, skipped, failed, processed } = processedOf(plan.progress);
  const pct = total > 0 ? Math.round((processed / total) * 100) : 100;
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">
      <p className="text-sm font-medium text-amber-950 dark:text-amber-100">
        {plan.status === 'approved' ? 'Approved; starting…' : 'Executing…'} {formatNumber(processed)} of {formatNumber(total)} actions processed
      </p>
      <div role="progressbar" aria-label="Cleanup progress" aria-valuemin={0} aria-valuemax={total} aria-valuenow={processed} aria-valuetext={`${pct} %`} className="mt-2 h-2.5 w-full overflow-hidden rounded-full bg-amber-200 dark:bg-amber-900">
        <div className="h-full rounded-full bg-amber-600 transition-[width] dark:bg-amber-400" style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-2 text-xs text-amber-900 tabular-nums dark:text-amber-200">
        {formatNumber(done)} done · {formatNumber(skipped)} skipped · {formatNumber(failed)} failed
      </p>
    </div>
  );
}
