import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { ChaosScenarioDto } from '@/lib/services/soak';
import { pct, seconds } from './format';

const tone = (ok: boolean | null) => (ok === null ? 'neutral' : ok ? 'green' : 'red');

/** Chaos scenarios, worst first: success rate (target > 95 %) and recovery time (worst < 30 s). */
export function ChaosScenariosTable({ scenarios, days }: { scenarios: ChaosScenarioDto[]; days: number }) {
  return (
    <Table caption={`Chaos scenarios, last ${days} days, worst first`} stack>
      <THead>
        <TR>
          <TH>Scenario</TH>
          <TH>Success rate</TH>
          <TH>Recovery</TH>
          <TH>Last result</TH>
        </TR>
      </THead>
      <TBody>
        {scenarios.map((s) => (
          <TR key={`${s.project}/${s.scenario}`}>
            <TD data-label="Scenario" className="min-w-[10rem]">
              <span className="font-medium [overflow-wrap:anywhere]">{s.scenario}</span>
              <div className="text-xs text-zinc-500 [overflow-wrap:anywhere]">{s.project} · {s.uploads} upload(s)</div>
            </TD>
            <TD data-label="Success rate" className="whitespace-nowrap tabular-nums">
              <Badge tone={tone(s.successOk)}>{s.successRate === null ? 'no attempts' : pct(s.successRate)}</Badge>
              <div className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{s.passed} of {s.attempts} attempts · target &gt; {pct(s.targets.minSuccessRate, 0)}</div>
            </TD>
            <TD data-label="Recovery" className="whitespace-nowrap tabular-nums">
              <Badge tone={tone(s.recoveryOk)}>{s.recoveryMaxMs === null ? 'not measured' : `worst ${seconds(s.recoveryMaxMs)}`}</Badge>
              <div className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{s.recoveryMedianMs === null ? '' : `median ${seconds(s.recoveryMedianMs)} · `}target &lt; {seconds(s.targets.maxRecoveryMs)}</div>
            </TD>
            <TD data-label="Last result" className="whitespace-nowrap text-xs tabular-nums text-zinc-600 dark:text-zinc-400">{formatDateTime(s.lastAt)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
