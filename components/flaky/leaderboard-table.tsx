import Link from 'next/link';
import { formatDate, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { LeaderRow } from '@/lib/services/flaky/queries';
import { formatDuration } from './format';

/** Flaky tests ranked by impact over 30 days (runs impacted, then time lost). */
export function LeaderboardTable({ project, rows }: { project: string; rows: LeaderRow[] }) {
  return (
    <Table caption="Flaky tests by impact" stack>
      <THead>
        <TR>
          <TH>Test</TH>
          <TH className="text-right">Runs impacted</TH>
          <TH className="text-right">Time lost</TH>
          <TH>Last flake</TH>
          <TH>State</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={r.id}>
            <TD data-label="Test" className="max-w-md break-words">
              <Link href={`/flaky/${project}/tests/${r.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">{r.name}</Link>
              {r.classname && <div className="text-xs break-all text-zinc-500 dark:text-zinc-400">{r.classname}</div>}
            </TD>
            <TD data-label="Runs impacted" className="text-right tabular-nums">
              {formatNumber(r.runsImpacted)}
              <div className="text-xs text-zinc-500">{formatNumber(r.flakyResults)} retried · {formatNumber(r.failedResults)} re-run</div>
            </TD>
            <TD data-label="Time lost" className="text-right tabular-nums">{formatDuration(r.timeLostMs)}</TD>
            <TD data-label="Last flake" className="whitespace-nowrap tabular-nums">{formatDate(r.lastFlakeAt)}</TD>
            <TD data-label="State">{r.status === 'quarantined' ? <Badge tone="amber">quarantined</Badge> : <Badge>active</Badge>}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
