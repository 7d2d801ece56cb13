import Link from 'next/link';
import { formatDateTime, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { RunSamples } from '@/lib/services/perf/metric-detail';
import { formatValue, shortSha, verdictLabel } from './format';

/** The series' runs, newest first, each with its stored verdict and links that pick it as A or B of the comparison. */
export function RunsTable({ rows, unit, pick, selected }: { rows: RunSamples[]; unit: string; pick: (slot: 'a' | 'b', runId: string) => string; selected: { a: string | null; b: string | null } }) {
  return (
    <Table caption="Runs of this series, newest first" stack>
      <THead>
        <TR>
          <TH>When</TH>
          <TH>Commit</TH>
          <TH>Value</TH>
          <TH>Verdict</TH>
          <TH>Compare</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((r) => {
          const v = verdictLabel(r.regression, r.budgetStatus);
          const slot = (s: 'a' | 'b') => (selected[s] === r.runId
            ? <span className="rounded bg-zinc-900 px-2 py-0.5 text-xs font-semibold text-white dark:bg-zinc-100 dark:text-zinc-900">{s.toUpperCase()}</span>
            : <Link href={pick(s, r.runId)} scroll={false} className="rounded px-2 py-0.5 text-xs text-sky-700 ring-1 ring-zinc-300 hover:bg-zinc-100 dark:text-sky-400 dark:ring-zinc-700 dark:hover:bg-zinc-800" aria-label={`Compare as ${s.toUpperCase()}: ${shortSha(r.commit)} at ${formatDateTime(r.at)}`}>{s.toUpperCase()}</Link>);
          return (
            <TR key={r.runId}>
              <TD data-label="When" className="whitespace-nowrap tabular-nums">{formatDateTime(r.at)}<div className="text-xs text-zinc-500">{r.profile}</div></TD>
              <TD data-label="Commit" className="font-mono text-xs">{shortSha(r.commit)}</TD>
              <TD data-label="Value" className="whitespace-nowrap tabular-nums">{formatValue(r.value, unit)}{r.n !== null && r.n > 1 && <span className="text-xs text-zinc-500"> n = {formatNumber(r.n)}</span>}</TD>
              <TD data-label="Verdict"><Badge tone={v.tone}>{v.label}</Badge></TD>
              <TD data-label="Compare"><span className="flex gap-2">{slot('a')}{slot('b')}</span></TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
