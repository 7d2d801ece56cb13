import Link from 'next/link';
import { formatDateTime, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { SeriesRow } from '@/lib/services/perf/series';
import { BUDGET_TONE, formatChange, formatValue, shortSha, VALUE_KIND, verdictLabel } from './format';
import { Sparkline } from './sparkline';

/**
 * One row per metric and testbed: its latest run's stored verdict (what `steward perf check`
 * printed for that run), the baseline that verdict used, and the last runs as a sparkline.
 */
export function MetricsTable({ project, branch, rows }: { project: string; branch: string; rows: SeriesRow[] }) {
  return (
    <Table caption="Metrics, latest run of each" stack>
      <THead>
        <TR>
          <TH>Metric</TH>
          <TH>Latest</TH>
          <TH>Budget</TH>
          <TH>Baseline</TH>
          <TH>Δ vs baseline</TH>
          <TH>Status</TH>
          <TH>Last runs</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((r) => {
          const l = r.latest;
          const unit = r.metric.unit;
          const status = verdictLabel(l.regression?.status ?? null, l.budget?.status ?? null);
          const href = `/performance/${project}/metrics/${r.metric.id}?testbed=${r.testbed.id}&branch=${encodeURIComponent(branch)}`;
          return (
            <TR key={`${r.metric.id}:${r.testbed.id}`}>
              <TD data-label="Metric" className="max-w-56 break-words">
                <Link href={href} className="font-medium text-sky-700 hover:underline dark:text-sky-400">{r.metric.name}</Link>
                <div className="text-xs text-zinc-500 dark:text-zinc-400">{r.metric.measure} · {r.testbed.label}</div>
              </TD>
              <TD data-label="Latest" className="tabular-nums">
                <span className="font-semibold whitespace-nowrap">{formatValue(l.value, unit)}</span>
                <div className="text-xs text-zinc-500 dark:text-zinc-400">{VALUE_KIND[l.valueKind] ?? l.valueKind}{l.n !== null && l.n > 1 ? `, n = ${formatNumber(l.n)}` : ''}</div>
                <div className="text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400" title={formatDateTime(l.at)}>{l.profile} · {shortSha(l.commit)} · {formatDateTime(l.at).slice(0, 10)}</div>
              </TD>
              <TD data-label="Budget" className="tabular-nums">
                {l.budget ? <><span className="whitespace-nowrap">{formatValue(l.budget.limit, unit)}</span> <Badge tone={BUDGET_TONE[l.budget.status] ?? 'neutral'}>{l.budget.status}</Badge></> : <span className="text-zinc-500">none</span>}
              </TD>
              <TD data-label="Baseline" className="tabular-nums">
                {l.baseline ? <span className="whitespace-nowrap">{formatValue(l.baseline.value, unit)} <span className="text-xs text-zinc-500">v{l.baseline.version}</span></span> : <span className="text-zinc-500">none</span>}
                {r.current && r.current.version !== l.baseline?.version && <div className="text-xs text-zinc-500 dark:text-zinc-400">now v{r.current.version}: {formatValue(r.current.value, unit)}</div>}
              </TD>
              <TD data-label="Δ vs baseline" className="tabular-nums">
                {l.regression ? <span className="whitespace-nowrap">{formatChange(l.regression.worsePct)}</span> : '—'}
                {l.regression?.noiseFloorPct !== null && l.regression?.noiseFloorPct !== undefined && <div className="text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">noise floor {l.regression.noiseFloorPct.toFixed(1)} %</div>}
              </TD>
              <TD data-label="Status">
                <Badge tone={status.tone}>{status.label}</Badge>
                {l.regression?.reason && <div className="mt-1 max-w-56 text-xs break-words text-zinc-500 dark:text-zinc-400">{l.regression.reason}</div>}
              </TD>
              <TD data-label="Last runs"><Sparkline points={r.spark} unit={unit} /><div className="text-xs text-zinc-500 tabular-nums">{formatNumber(r.runs)} runs</div></TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
