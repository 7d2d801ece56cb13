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
            <li key={r.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2.5 text-sm first:pt-0 last:pb-0">
              <time dateTime={r.at} className="w-36 shrink-0 font-mono text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
                {formatDateTime(r.at)}
              </time>
              <span className="min-w-0 flex-1">
                <span className="font-medium">{r.actorLabel}</span> <span className="text-zinc-700 dark:text-zinc-300">{r.summary}</span>
              </span>
              <OutcomeBadge outcome={r.outcome} />
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
