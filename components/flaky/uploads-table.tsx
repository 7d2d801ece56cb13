import { formatDateTime, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { uploadsPage } from '@/lib/services/flaky/queries';
import { shortSha } from './format';
import { ReparseButton } from './reparse-button';

type Row = Awaited<ReturnType<typeof uploadsPage>>['rows'][number];

/** Each upload with its counts, warnings and the infrastructure-failure flag; admins may re-parse a kept raw copy. */
export function UploadsTable({ rows, canReparse = false }: { rows: Row[]; canReparse?: boolean }) {
  return (
    <Table caption="Uploads" stack>
      <THead>
        <TR>
          <TH>Received</TH>
          <TH>File</TH>
          <TH>Run</TH>
          <TH className="text-right">Tests</TH>
          <TH className="text-right">Failed</TH>
          <TH className="text-right">Flaky</TH>
          <TH className="text-right">Skipped</TH>
          <TH>Notes</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((u) => (
          <TR key={u.id}>
            <TD data-label="Received" className="whitespace-nowrap tabular-nums">{formatDateTime(u.receivedAt)}<div className="text-xs text-zinc-500">by {u.uploadedBy}</div></TD>
            <TD data-label="File" className="min-w-44 max-w-xs break-words">{u.fileName}<div className="text-xs text-zinc-500">{u.format} · {u.producer}</div>{canReparse && u.rawKept && <ReparseButton uploadId={u.id} fileName={u.fileName} />}</TD>
            <TD data-label="Run" className="max-w-xs break-words text-xs">
              <div className="font-mono">{shortSha(u.commit)}{u.branch ? ` · ${u.branch}` : ''}</div>
              <div>{u.runUrl ? <a href={u.runUrl} rel="noreferrer noopener" target="_blank" className="text-sky-700 hover:underline dark:text-sky-400">{u.runId ?? 'run'}</a> : (u.runId ?? '—')}{u.job ? ` · ${u.job}` : ''}{u.attempt > 1 ? ` · attempt ${u.attempt}` : ''}{u.variant ? ` · ${u.variant}` : ''}</div>
            </TD>
            <TD data-label="Tests" className="text-right tabular-nums">{formatNumber(u.tests)}</TD>
            <TD data-label="Failed" className="text-right tabular-nums">{formatNumber(u.failed + u.errors)}</TD>
            <TD data-label="Flaky" className="text-right tabular-nums">{formatNumber(u.flaky)}</TD>
            <TD data-label="Skipped" className="text-right tabular-nums">{formatNumber(u.skipped)}</TD>
            <TD data-label="Notes" className="max-w-sm break-words text-xs">
              {u.infra && <Badge tone="red">infrastructure failure: out of flake statistics</Badge>}
              {u.warnings.slice(0, 3).map((w, i) => <p key={i}>{w.line !== null ? `line ${w.line}: ` : ''}{w.message}</p>)}
              {u.warnings.length > 3 && <p>…and {u.warnings.length - 3} more warnings</p>}
              {!u.infra && !u.warnings.length && '—'}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
