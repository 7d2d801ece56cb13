import Link from 'next/link';
import { OutcomeBadge } from '@/components/audit/outcome-badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime } from '@/components/format';
import type { AuditRow } from '@/lib/services/audit';

export function RecentActivity({ rows }: { rows: readonly AuditRow[] }) {
  return (
    <Card
      id="overview-activity"
      title="Recent activity"
      description="The latest changes recorded in the audit log."
      actions={
        <Link href="/audit" className="text-sm font-medium text-sky-700 hover:underline dark:text-sky-400">
          Full audit log
        </Link>
      }
    >
      {rows.length === 0 ? (
        <EmptyState title="No activity yet">
          Changes made in Steward — accounts, API tokens, cleanups — are recorded here as they happen.
        </EmptyState>
      ) : (
        <ol className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Recent audit events">
          {rows.map((r) => (
            // Phone: time and badge on the first line, the event below at full width; from sm up
            // one line: time | event | badge. Long labels and paths break anywhere, never under the badge.
            <li key={r.id} className="grid grid-cols-[minmax(0,1fr)_auto] items-baseline gap-x-3 gap-y-1 py-2.5 text-sm first:pt-0 last:pb-0 sm:grid-cols-[9rem_minmax(0,1fr)_auto]">
              <time dateTime={r.at} className="font-mono text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
                {formatDateTime(r.at)}
              </time>
              <span data-summary className="col-span-2 row-start-2 min-w-0 [overflow-wrap:anywhere] sm:col-span-1 sm:col-start-2 sm:row-start-1">
                <span className="font-medium">{r.actorLabel}</span> <span className="text-zinc-700 dark:text-zinc-300">{r.summary}</span>
              </span>
              <span data-outcome className="col-start-2 row-start-1 justify-self-end sm:col-start-3">
                <OutcomeBadge outcome={r.outcome} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
