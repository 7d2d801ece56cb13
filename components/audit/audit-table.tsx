import { formatDateTime } from '@/components/format';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { AuditRow } from '@/lib/services/audit';
import { ChangeSummary } from './change-summary';
import { OutcomeBadge } from './outcome-badge';

export function AuditTable({ rows }: { rows: readonly AuditRow[] }) {
  return (
    <Table caption="Audit events, newest first">
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
            <TD className="whitespace-nowrap font-mono text-xs tabular-nums">
              <time dateTime={r.at}>{formatDateTime(r.at)}</time>
              {r.lastAt && (
                <div className="text-zinc-500 dark:text-zinc-400">
                  last <time dateTime={r.lastAt}>{formatDateTime(r.lastAt)}</time>
                </div>
              )}
            </TD>
            <TD>
              <div className="min-w-36 font-medium break-words">{r.actorLabel}</div>
              <div className="text-xs text-zinc-500 dark:text-zinc-400">
                {r.actorType}
                {r.origin ? ` · ${r.origin}` : ''}
              </div>
            </TD>
            <TD className="font-mono text-xs whitespace-nowrap">{r.action}</TD>
            <TD>
              <div className="min-w-56">{r.summary}</div>
              {r.target && <div className="font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">{r.target}</div>}
            </TD>
            <TD>
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
            <TD>
              <ChangeSummary before={r.before} after={r.after} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
