import { formatDateTime, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { BaselineVersion } from '@/lib/services/perf/metric-detail';
import { RollbackForm, type SeriesRef } from './baseline-actions';
import { formatValue, shortSha } from './format';

/** Every version of the series' baseline, newest first; versions are immutable, the head moves. */
export function BaselineHistory({ versions, current, unit, series, canAct }: { versions: BaselineVersion[]; current: number | null; unit: string; series: SeriesRef; canAct: boolean }) {
  return (
    <Table caption="Baseline versions" stack>
      <THead>
        <TR>
          <TH>Version</TH>
          <TH>Value</TH>
          <TH>Note</TH>
          <TH>By</TH>
          <TH>Commits</TH>
        </TR>
      </THead>
      <TBody>
        {versions.map((v) => (
          <TR key={v.id}>
            <TD data-label="Version" className="whitespace-nowrap">v{v.version} {v.version === current && <Badge tone="blue">current</Badge>}</TD>
            <TD data-label="Value" className="tabular-nums"><span className="whitespace-nowrap">{formatValue(v.value, unit)}</span><div className="text-xs text-zinc-500">{formatNumber(v.runs)} runs{v.samples ? `, ${formatNumber(v.samples)} samples` : ''}</div></TD>
            <TD data-label="Note" className="min-w-48 break-words">
              {v.note}
              {canAct && current !== null && v.version !== current && <RollbackForm series={series} toVersion={v.version} />}
            </TD>
            <TD data-label="By" className="break-words">{v.createdBy}<div className="text-xs whitespace-nowrap text-zinc-500">{formatDateTime(v.createdAt)}</div></TD>
            <TD data-label="Commits" className="font-mono text-xs whitespace-nowrap">{shortSha(v.firstCommit)} … {shortSha(v.lastCommit)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
