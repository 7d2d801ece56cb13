import Link from 'next/link';
import { formatDateTime, formatNumber } from '@/components/format';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { PlanListRow } from '@/lib/services/retention/queries';
import { PlanStatusBadge } from './badges';
import { formatBytes } from './format';

export function PlansList({ plans }: { plans: PlanListRow[] }) {
  return (
    <Card id="plans" title="Recent plans" description="Each preview is stored as a plan; a draft can be approved and executed until it expires.">
      {plans.length === 0 ? (
        <EmptyState title="No plans yet">Preview a cleanup: it scans the root and lists what the policy would do, without touching anything.</EmptyState>
      ) : (
        <Table caption="Recent plans">
          <THead>
            <TR><TH>Created</TH><TH>Status</TH><TH className="text-right">Delete</TH><TH className="text-right">Compress</TH><TH className="text-right">Frees</TH><TH>By</TH><TH>Source</TH></TR>
          </THead>
          <TBody>
            {plans.map((p) => (
              <TR key={p.id}>
                <TD className="whitespace-nowrap tabular-nums"><Link href={`/artifacts/plans/${p.id}`} className="font-medium underline-offset-2 hover:underline">{formatDateTime(p.createdAt)}</Link></TD>
                <TD><PlanStatusBadge status={p.status} /></TD>
                <TD className="text-right tabular-nums">{formatNumber(p.filesToDelete)}</TD>
                <TD className="text-right tabular-nums">{formatNumber(p.filesToCompress)}</TD>
                <TD className="text-right whitespace-nowrap tabular-nums">{formatBytes(p.bytesFreed)}</TD>
                <TD className="min-w-40 text-xs break-words">{p.createdBy}{p.approvedBy ? ` · approved by ${p.approvedBy}` : ''}</TD>
                <TD>{p.source}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
