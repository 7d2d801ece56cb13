import { formatDateTime } from '@/components/format';
import { DeliveryStatusBadge } from '@/components/notifications/status-badge';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { CheckDetail, FlipRow, RunRow } from '@/lib/services/cron/dto';
import { displayText, seconds } from './format';
import { StateBadge } from './state-badge';

const OUTCOME_TONE: Record<RunRow['outcome'], BadgeTone> = { success: 'green', fail: 'red', running: 'blue', timeout: 'amber' };
const OUTCOME_LABEL: Record<RunRow['outcome'], string> = { success: 'success', fail: 'failed', running: 'running', timeout: 'timed out' };

/** Runs: a start paired with its finish (by run id, else in order), with the duration between. */
export function RunsTable({ runs }: { runs: RunRow[] }) {
  return (
    <Table caption="Runs, newest first" stack>
      <THead>
        <TR><TH>Started</TH><TH>Finished</TH><TH>Outcome</TH><TH>Duration</TH><TH>Run id</TH></TR>
      </THead>
      <TBody>
        {runs.map((r, i) => (
          <TR key={`${r.startedAt ?? ''}-${r.finishedAt ?? ''}-${i}`}>
            <TD data-label="Started" className="whitespace-nowrap tabular-nums">{r.startedAt ? formatDateTime(r.startedAt) : <span className="text-zinc-500 dark:text-zinc-400">no start ping</span>}</TD>
            <TD data-label="Finished" className="whitespace-nowrap tabular-nums">{r.finishedAt ? formatDateTime(r.finishedAt) : '—'}</TD>
            <TD data-label="Outcome" className="whitespace-nowrap">
              <Badge tone={OUTCOME_TONE[r.outcome]}>{OUTCOME_LABEL[r.outcome]}{r.exitStatus !== null ? ` (exit ${r.exitStatus})` : ''}</Badge>
            </TD>
            <TD data-label="Duration" className="whitespace-nowrap tabular-nums">{seconds(r.durationSeconds)}</TD>
            <TD data-label="Run id" className="max-w-[14rem] truncate font-mono text-xs" title={r.rid ? displayText(r.rid) : undefined}>{r.rid ? displayText(r.rid) : '—'}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** State changes, as the alert loop recorded them (the outbox for notifications). */
export function FlipsTable({ flips }: { flips: FlipRow[] }) {
  return (
    <Table caption="State changes, newest first" stack>
      <THead>
        <TR><TH>Time</TH><TH>Change</TH><TH>Why</TH></TR>
      </THead>
      <TBody>
        {flips.map((f) => (
          <TR key={f.id}>
            <TD data-label="Time" className="whitespace-nowrap tabular-nums">{formatDateTime(f.at)}</TD>
            <TD data-label="Change" className="whitespace-nowrap">
              <span className="inline-flex items-center gap-1.5"><StateBadge state={f.from} /> <span aria-label="to">→</span> <StateBadge state={f.to} /></span>
            </TD>
            <TD data-label="Why" className="text-sm [overflow-wrap:anywhere]">{displayText(f.reason)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** Notification deliveries raised by this check's flips. */
export function NotificationsTable({ rows }: { rows: CheckDetail['notifications'] }) {
  return (
    <Table caption="Notifications sent, newest first" stack>
      <THead>
        <TR><TH>Time</TH><TH>Event</TH><TH>Channel</TH><TH>Status</TH></TR>
      </THead>
      <TBody>
        {rows.map((n) => (
          <TR key={n.id}>
            <TD data-label="Time" className="whitespace-nowrap tabular-nums">{formatDateTime(n.at)}</TD>
            <TD data-label="Event" className="font-mono text-xs">{n.kind}</TD>
            <TD data-label="Channel" className="[overflow-wrap:anywhere]">{displayText(n.channel)}</TD>
            <TD data-label="Status"><DeliveryStatusBadge status={n.status} /></TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
