import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { cliValue, criterionText, STATUS_LABEL, STATUS_TONE, type CriterionView } from './format';

const MARK = { pass: '✓', fail: '✗', unknown: '?' } as const;

/**
 * The run's criteria as chips, failures first: "✗ growth 14.2 MB/h (≥ 10)". The mark and the word
 * in the accessible name carry the verdict, not the colour alone.
 */
export function CriteriaChips({ criteria }: { criteria: CriterionView[] }) {
  const order = { fail: 0, unknown: 1, pass: 2 } as const;
  const sorted = [...criteria].sort((a, b) => order[a.status] - order[b.status]);
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Criteria">
      {sorted.map((c) => (
        <li key={c.id} title={c.detail}>
          <Badge tone={STATUS_TONE[c.status]} className="font-normal tabular-nums">
            <span aria-hidden="true" className="mr-1 font-semibold">{MARK[c.status]}</span>
            <span className="sr-only">{STATUS_LABEL[c.status]}: </span>
            {criterionText(c)}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

/** Every criterion of one run with its target, the measured value and why (the stored detail). */
export function CriteriaTable({ criteria }: { criteria: CriterionView[] }) {
  return (
    <Table caption="Success criteria" stack>
      <THead>
        <TR>
          <TH>Criterion</TH>
          <TH>Verdict</TH>
          <TH>Measured</TH>
          <TH>Target</TH>
          <TH>Why</TH>
        </TR>
      </THead>
      <TBody>
        {criteria.map((c) => (
          <TR key={c.id}>
            <TD data-label="Criterion" className="font-medium">{c.label}</TD>
            <TD data-label="Verdict"><Badge tone={STATUS_TONE[c.status]}>{STATUS_LABEL[c.status]}</Badge></TD>
            <TD data-label="Measured" className="whitespace-nowrap tabular-nums">{c.value === null ? '—' : cliValue(c.value, c.unit)}</TD>
            <TD data-label="Target" className="whitespace-nowrap tabular-nums">{targetText(c)}</TD>
            <TD data-label="Why" className="min-w-[16rem] text-zinc-600 [overflow-wrap:anywhere] dark:text-zinc-400">{c.detail}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

function targetText(c: CriterionView): string {
  const [cmp = ''] = c.target.split(' ');
  const sym = cmp === '>=' ? '≥' : cmp === '<=' ? '≤' : cmp;
  const unit = c.unit === 'MB' && c.threshold >= 1024 ? null : c.unit;
  const thr = unit === null ? `${Number((c.threshold / 1024).toFixed(2))} GB` : `${c.threshold}${unit === '%' ? ' %' : unit === 'per hour' ? ' per hour' : ['h', 'MB/h', 'MB'].includes(unit) ? ` ${unit}` : ''}`;
  return `${sym} ${thr}`;
}
