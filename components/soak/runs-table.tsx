import Link from 'next/link';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { SoakRunListItem } from '@/lib/services/soak';
import { CriteriaChips } from './criteria';
import { criterionLabel, f1, formatHours, LEAK_LABEL, LEAK_TONE, STATUS_LABEL, STATUS_TONE, type CriterionView } from './format';
import { intervalText } from './leak-text';

/** The list's criteria as the chips read them: judged with the run's own thresholds, as stored. */
function views(criteria: SoakRunListItem['criteria']): CriterionView[] {
  return criteria.map((c) => ({ ...c, label: criterionLabel(c.id) }));
}

/** Soak runs, newest first: the overall verdict, the leak verdict with its fitted slope, every criterion. */
export function SoakRunsTable({ runs }: { runs: SoakRunListItem[] }) {
  return (
    <Table caption="Soak runs, newest first" stack>
      <THead>
        <TR>
          <TH>Run</TH>
          <TH>Started</TH>
          <TH>Verdict</TH>
          <TH>Memory</TH>
          <TH>Criteria</TH>
        </TR>
      </THead>
      <TBody>
        {runs.map((r) => (
          <TR key={r.id}>
            <TD data-label="Run" className="min-w-[12rem]">
              <Link href={`/soak/${r.id}`} className="font-medium text-sky-700 [overflow-wrap:anywhere] hover:underline dark:text-sky-400">{r.name}</Link>
              <div className="text-xs text-zinc-500 [overflow-wrap:anywhere]">
                <Link href={`/soak?project=${encodeURIComponent(r.project)}`} className="hover:underline">{r.project}</Link>
                {r.branch ? ` · ${r.branch}` : ''}
              </div>
            </TD>
            <TD data-label="Started" className="whitespace-nowrap tabular-nums">
              {formatDateTime(r.startedAt)}
              <div className="text-xs text-zinc-500">{r.durationHours === null ? 'no duration' : formatHours(r.durationHours)} · {r.sampleCount} samples</div>
            </TD>
            <TD data-label="Verdict"><Badge tone={STATUS_TONE[r.status]}>{STATUS_LABEL[r.status]}</Badge></TD>
            <TD data-label="Memory" className="whitespace-nowrap tabular-nums">
              <span title={r.leakReason}><Badge tone={LEAK_TONE[r.leakVerdict]}>{LEAK_LABEL[r.leakVerdict]}</Badge></span>
              {r.slopeMbPerHour !== null && (
                <div className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                  {f1(r.slopeMbPerHour)} MB/h{r.lowerMbPerHour !== null && r.upperMbPerHour !== null ? <> (CI {intervalText(r.lowerMbPerHour, r.upperMbPerHour)})</> : null}
                </div>
              )}
            </TD>
            <TD data-label="Criteria"><CriteriaChips criteria={views(r.criteria)} /></TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
