import Link from 'next/link';
import { formatDate } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { QuarantineRow } from '@/lib/services/flaky/queries';
import { TICKET_LABEL, TICKET_TONE } from './format';
import { UnquarantineButton } from './unquarantine-button';

/** The quarantine list: test, since, reason, ticket, owner, progress to unquarantine (and the action under it). */
export function QuarantineTable({ project, rows, greensNeeded, canAct }: { project: string; rows: QuarantineRow[]; greensNeeded: number; canAct: boolean }) {
  return (
    <Table caption="Quarantined tests" stack>
      <THead>
        <TR>
          <TH>Test</TH>
          <TH>Since</TH>
          <TH>Reason</TH>
          <TH>Ticket</TH>
          <TH>Progress</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={r.id}>
            <TD data-label="Test" className="max-w-xs break-words">
              <Link href={`/flaky/${project}/tests/${r.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">{r.name}</Link>
              {r.classname && <div className="text-xs break-all text-zinc-500 dark:text-zinc-400">{r.classname}</div>}
            </TD>
            <TD data-label="Since" className="whitespace-nowrap tabular-nums">{formatDate(r.since)}{r.expires && <div className="text-xs text-zinc-500">until {formatDate(r.expires)}</div>}</TD>
            <TD data-label="Reason" className="min-w-56 break-words">{r.reason}<div className="text-xs text-zinc-500 dark:text-zinc-400">by {r.by === 'policy' ? 'the policy' : r.by}</div></TD>
            <TD data-label="Ticket">{r.ticket ? <><Link href={`/flaky/${project}/tests/${r.id}#ticket`} aria-label={`Ticket: ${TICKET_LABEL[r.ticket.status] ?? r.ticket.status}`}><Badge tone={TICKET_TONE[r.ticket.status] ?? 'neutral'}>{TICKET_LABEL[r.ticket.status] ?? r.ticket.status}</Badge></Link><div className="text-xs text-zinc-500">{r.ticket.owner ?? 'no owner'}</div></> : '—'}</TD>
            <TD data-label="Progress" className="tabular-nums">
              <span className="whitespace-nowrap">{Math.min(r.greenStreak, greensNeeded)} / {greensNeeded} greens</span> {r.eligible && <Badge tone="green" className="ml-1">eligible</Badge>}
              {canAct && <div className="mt-2"><UnquarantineButton testId={r.id} name={r.name} eligible={r.eligible} /></div>}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
