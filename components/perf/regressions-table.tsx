import Link from 'next/link';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { RegressionRow } from '@/lib/services/perf/regression-list';
import { formatChange, REGRESSION_STATE_TONE, shortSha } from './format';
import { RegressionActions } from './regression-actions';

const run = (r: RegressionRow['opened']) => (r ? <span className="tabular-nums"><span className="font-mono">{shortSha(r.commit)}</span> · <span className="whitespace-nowrap">{formatDateTime(r.at)}</span></span> : '—');

/** Regressions opened by confirmed failures on a base branch, with the runs and commits that opened and last touched them. */
export function RegressionsTable({ project, rows, canAct }: { project: string; rows: RegressionRow[]; canAct: boolean }) {
  return (
    <Table caption="Regressions" stack>
      <THead>
        <TR>
          <TH>Metric</TH>
          <TH>State</TH>
          <TH>Worst</TH>
          <TH>Opened by</TH>
          <TH>Last run</TH>
          <TH>Note</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={r.id}>
            <TD data-label="Metric" className="max-w-56 break-words">
              <Link href={`/performance/${project}/metrics/${r.metric.id}?testbed=${r.testbed.id}&branch=${encodeURIComponent(r.branch)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">{r.metric.name}</Link>
              <div className="text-xs text-zinc-500 dark:text-zinc-400">{r.metric.measure} · {r.testbed.label} · {r.branch}</div>
            </TD>
            <TD data-label="State"><Badge tone={REGRESSION_STATE_TONE[r.status] ?? 'neutral'}>{r.status}</Badge>{r.closedAt && <div className="text-xs whitespace-nowrap text-zinc-500">{formatDateTime(r.closedAt)}</div>}</TD>
            <TD data-label="Worst" className="whitespace-nowrap tabular-nums">{formatChange(r.worsePct)}</TD>
            <TD data-label="Opened by">{run(r.opened)}</TD>
            <TD data-label="Last run">{run(r.last)}</TD>
            <TD data-label="Note" className="min-w-48 text-sm [overflow-wrap:anywhere]">
              {r.note || <span className="text-zinc-500">—</span>}
              {canAct && r.status !== 'fixed' && <RegressionActions project={project} id={r.id} status={r.status} label={`${r.metric.name} on ${r.testbed.label}`} />}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
