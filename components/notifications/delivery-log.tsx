import Link from 'next/link';
import { formatDateTime } from '@/components/format';
import { EmptyState } from '@/components/ui/empty-state';
import { HistoryPagination } from '@/components/ui/pagination';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { DeliveryDto } from '@/lib/services/notifications/deliveries';
import { DeliveryStatusBadge } from './status-badge';

export interface DeliveryLogProps {
  rows: DeliveryDto[];
  total: number;
  page: number;
  pageSize: number;
  filtered: boolean;
  href: (page: number) => string;
}

/** The paged delivery log: what was sent where, how it went, and when the next try is. */
export function DeliveryLog({ rows, total, page, pageSize, filtered, href }: DeliveryLogProps) {
  if (total === 0) {
    return filtered ? (
      <EmptyState title="No deliveries match">
        <Link href="?" className="underline">Clear the filters</Link> to see every delivery.
      </EmptyState>
    ) : (
      <EmptyState title="Nothing sent yet">Add a channel with a rule, or press “Send test” on a channel; deliveries show here.</EmptyState>
    );
  }
  return (
    <>
      <Table caption="Notification deliveries" stack>
        <THead>
          <TR>
            <TH>Created</TH>
            <TH>Event</TH>
            <TH>Channel</TH>
            <TH>Status</TH>
            <TH>Attempts</TH>
            <TH>Next attempt</TH>
            <TH>Last error</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((d) => (
            <TR key={d.id}>
              <TD data-label="Created" className="min-w-24">{formatDateTime(d.createdAt)}</TD>
              <TD data-label="Event" className="min-w-40 [overflow-wrap:anywhere]">
                <span className="font-mono text-xs">{d.kind}</span>
                <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                  {d.project ? `${d.project}: ` : ''}
                  {d.subject}
                </span>
              </TD>
              <TD data-label="Channel" className="min-w-24 [overflow-wrap:anywhere]">{d.channelName}</TD>
              <TD data-label="Status">
                <DeliveryStatusBadge status={d.status} />
                {d.lastStatusCode !== null && <span className="ml-1 font-mono text-xs">{d.lastStatusCode}</span>}
              </TD>
              <TD data-label="Attempts" className="tabular-nums">{d.attempts}</TD>
              <TD data-label="Next attempt" className="min-w-24">{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : '—'}</TD>
              <TD data-label="Last error" className="min-w-40 text-xs [overflow-wrap:anywhere]">{d.lastError ?? '—'}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <HistoryPagination shown={rows.length} total={total} page={page} pageSize={pageSize} noun="deliveries" href={href} />
    </>
  );
}
