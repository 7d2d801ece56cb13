import { formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { ReasonGroup } from '@/lib/services/retention/entries-query';
import { formatBytes } from './format';

/** Entries grouped by kind, rule and reason: what each rule does and how much it frees. */
/** `ran`: the plan has executed, so its figures are what was planned (the result is in the summary). */
export function PlanGroups({ groups, caption, kept = false, ran = false }: { groups: ReasonGroup[]; caption: string; kept?: boolean; ran?: boolean }) {
  return (
    <Table caption={caption}>
      <THead>
        <TR>
          {!kept && <TH>Action</TH>}
          <TH>Rule</TH>
          <TH>Reason</TH>
          <TH className="text-right">Files</TH>
          <TH className="text-right">Size</TH>
          {!kept && <TH className="text-right">{ran ? 'Planned to free' : 'Frees'}</TH>}
        </TR>
      </THead>
      <TBody>
        {groups.map((g) => (
          <TR key={`${g.kind}:${g.ruleId}:${g.reason}`}>
            {!kept && <TD><Badge tone={g.kind === 'delete' ? 'red' : 'blue'}>{g.kind}</Badge></TD>}
            <TD className="font-medium whitespace-nowrap">{g.ruleId}</TD>
            <TD className="min-w-48">{g.reason}</TD>
            <TD className="text-right tabular-nums">{formatNumber(g.count)}</TD>
            <TD className="text-right whitespace-nowrap tabular-nums">{formatBytes(g.bytes)}</TD>
            {!kept && <TD className="text-right whitespace-nowrap tabular-nums">{formatBytes(g.bytesFreed)}</TD>}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
