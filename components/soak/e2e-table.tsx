import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { E2ePipelineDto } from '@/lib/services/soak';
import { pct } from './format';

const OUTCOME_TONE = { pass: 'green', fail: 'red', incomplete: 'amber' } as const;

/** E2E pipelines with their success rate against the playbook's target (> 98 %) and the last failure. */
export function E2ePipelinesTable({ pipelines, days }: { pipelines: E2ePipelineDto[]; days: number }) {
  return (
    <Table caption={`E2E pipelines, last ${days} days`} stack>
      <THead>
        <TR>
          <TH>Pipeline</TH>
          <TH>Success rate</TH>
          <TH>Last run</TH>
          <TH>Last failure</TH>
        </TR>
      </THead>
      <TBody>
        {pipelines.map((p) => (
          <TR key={`${p.project}/${p.pipeline}`}>
            <TD data-label="Pipeline" className="min-w-[10rem]">
              <span className="font-medium [overflow-wrap:anywhere]">{p.pipeline}</span>
              <div className="text-xs text-zinc-500 [overflow-wrap:anywhere]">{p.project}</div>
            </TD>
            <TD data-label="Success rate" className="whitespace-nowrap tabular-nums">
              <Badge tone={p.meetsTarget === null ? 'neutral' : p.meetsTarget ? 'green' : 'red'}>{p.successRate === null ? 'no runs' : pct(p.successRate)}</Badge>
              <div className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{p.passed} of {p.runs} passed · target &gt; {pct(p.target, 0)}</div>
            </TD>
            <TD data-label="Last run" className="tabular-nums">
              {p.lastRun ? (
                <>
                  <Badge tone={OUTCOME_TONE[p.lastRun.outcome]}>{p.lastRun.outcome}</Badge>
                  <div className="mt-1 whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400">{formatDateTime(p.lastRun.startedAt)}</div>
                </>
              ) : '—'}
            </TD>
            <TD data-label="Last failure" className="min-w-[16rem] text-sm">
              {p.lastFailure ? (
                <>
                  <p className="[overflow-wrap:anywhere]">
                    <span className="text-zinc-600 dark:text-zinc-400">failed at</span> <span className="font-medium">{p.lastFailure.failingStep ?? 'an unfinished step'}</span>
                    {p.lastFailure.lastSuccessfulStep ? <> <span className="text-zinc-600 dark:text-zinc-400">after</span> {p.lastFailure.lastSuccessfulStep}</> : null}
                  </p>
                  {p.lastFailure.error && <p className="mt-1 font-mono text-xs whitespace-pre-wrap text-red-800 [overflow-wrap:anywhere] dark:text-red-300">{p.lastFailure.error.length > 300 ? `${p.lastFailure.error.slice(0, 300)}…` : p.lastFailure.error}</p>}
                  <p className="mt-1 text-xs text-zinc-500 tabular-nums">{formatDateTime(p.lastFailure.startedAt)}</p>
                </>
              ) : <span className="text-zinc-500">none</span>}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
