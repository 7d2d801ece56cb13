import { formatDateTime } from '@/components/format';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { AuditRow } from '@/lib/services/audit';
import { ActionName } from './action-name';
import { actorDetail } from './actor';
import { ChangeSummary } from './change-summary';
import { OutcomeBadge } from './outcome-badge';
import { When } from './when';

// Column widths: When and Action wrap (date over time, after the dots), long labels and paths
// break anywhere, so at 1280 px every column, Change included, fits without scrolling; below
// 48rem of width the table stacks (one block per event).
export function AuditTable({ rows }: { rows: readonly AuditRow[] }) {
  return (
    <Table caption="Audit events, newest first" stack>
      <THead>
        <TR>
          <TH>When</TH>
          <TH>Actor</TH>
          <TH>Action</TH>
          <TH>Summary</TH>
          <TH>Outcome</TH>
          <TH>Change</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={r.id} className={r.outcome === 'denied' ? 'bg-red-50/60 dark:bg-red-950/30' : undefined}>
            <TD data-label="When" className="font-mono text-xs tabular-nums">
              <When at={r.at} />
              {r.lastAt && (
                <div className="text-zinc-500 dark:text-zinc-400">
                  last <time dateTime={r.lastAt}>{formatDateTime(r.lastAt)}</time>
                </div>
              )}
            </TD>
            <TD data-label="Actor">
              <div className="min-w-52 font-medium [overflow-wrap:anywhere]">{r.actorLabel}</div>
              <div className="text-xs text-zinc-500 [overflow-wrap:anywhere] dark:text-zinc-400">{actorDetail(r)}</div>
            </TD>
            <TD data-label="Action" className="font-mono text-xs">
              <ActionName action={r.action} />
            </TD>
            <TD data-label="Summary">
              <div className="min-w-40 [overflow-wrap:anywhere]">{r.summary}</div>
              {r.target && <div className="font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">{r.target}</div>}
            </TD>
            <TD data-label="Outcome">
              <span className="flex items-center gap-1.5 whitespace-nowrap">
                <OutcomeBadge outcome={r.outcome} />
                {r.count > 1 && (
                  // Repeated refusals are one row (lib/services/audit.ts): say how many it stands for.
                  <span className="font-mono text-xs font-medium tabular-nums" title={`${r.count} identical events${r.lastAt ? `, the last at ${formatDateTime(r.lastAt)}` : ''}`}>
                    ×{r.count}
                    <span className="sr-only"> times</span>
                  </span>
                )}
              </span>
            </TD>
            <TD data-label="Change">
              <ChangeSummary before={r.before} after={r.after} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
