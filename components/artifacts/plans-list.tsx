import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatDateTime, formatNumber } from '@/components/format';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { PlanListRow } from '@/lib/services/retention/history-queries';
import { PlanStatusBadge } from './badges';
import { formatBytes } from './format';

/** An executed plan's figure with the plan's own beneath it; an unexecuted plan's figure alone. */
function Figure({ actual, planned }: { actual: ReactNode | null; planned: ReactNode }) {
  if (actual === null) return <>{planned}</>;
  return (
    <>
      <span className="block">{actual}</span>
      <span className="block text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">planned {planned}</span>
    </>
  );
}

export function PlansList({ plans }: { plans: PlanListRow[] }) {
  return (
    <Card id="plans" title="Recent plans" description="Each preview is stored as a plan; a draft can be approved and executed until it expires. Executed plans show what happened above what was planned.">
      {plans.length === 0 ? (
        <EmptyState title="No plans yet">Preview a cleanup: it scans the root and lists what the policy would do, without touching anything.</EmptyState>
      ) : (
        <Table caption="Recent plans">
          <THead>
            <TR><TH>Created</TH><TH>Status</TH><TH className="text-right">Deletes</TH><TH className="text-right">Compressions</TH><TH className="text-right">Frees / freed</TH><TH className="text-right">Size after</TH><TH>By</TH><TH>Source</TH></TR>
          </THead>
          <TBody>
            {plans.map((p) => {
              const a = p.actual;
              return (
                <TR key={p.id}>
                  <TD className="whitespace-nowrap tabular-nums"><Link href={`/artifacts/plans/${p.id}`} className="font-medium underline-offset-2 hover:underline">{formatDateTime(p.createdAt)}</Link></TD>
                  <TD><PlanStatusBadge status={p.status} /></TD>
                  <TD className="text-right tabular-nums"><Figure actual={a && formatNumber(a.deleted)} planned={formatNumber(p.planned.filesToDelete)} /></TD>
                  <TD className="text-right tabular-nums"><Figure actual={a && formatNumber(a.compressed)} planned={formatNumber(p.planned.filesToCompress)} /></TD>
                  <TD className="text-right whitespace-nowrap tabular-nums"><Figure actual={a && `freed ${formatBytes(a.bytesFreed)}`} planned={formatBytes(p.planned.bytesFreed)} /></TD>
                  <TD className="text-right whitespace-nowrap tabular-nums"><Figure actual={a && formatBytes(a.sizeAfterBytes)} planned={formatBytes(p.planned.bytesAfter)} /></TD>
                  <TD className="min-w-40 text-xs break-words">{p.createdBy}{p.approvedBy ? ` · approved by ${p.approvedBy}` : ''}</TD>
                  <TD>{p.source}</TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
