import Link from 'next/link';
import { formatDateTime, formatNumber } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { RunRow } from '@/lib/services/retention/history-queries';
import { formatBytes, formatDuration, formatPct } from './format';

/** Rotation runs: server runs name their root; runner reports name host and path instead. */
export function RunsTable({ runs, caption, runners = false }: { runs: RunRow[]; caption: string; runners?: boolean }) {
  return (
    <Table caption={caption}>
      <THead>
        <TR>
          <TH>When</TH>
          <TH>{runners ? 'Host and path' : 'Root'}</TH>
          <TH className="text-right">Freed</TH>
          <TH className="text-right">Efficiency</TH>
          <TH className="text-right">Deleted</TH>
          <TH className="text-right">Compressed</TH>
          <TH className="text-right">Skipped</TH>
          <TH className="text-right">Failed</TH>
          <TH className="text-right">Size after</TH>
          <TH>Limit</TH>
          <TH className="text-right">Duration</TH>
          <TH>{runners ? 'Reported by' : 'Approved / executed by'}</TH>
        </TR>
      </THead>
      <TBody>
        {runs.map((r) => (
          <TR key={r.id}>
            <TD className="whitespace-nowrap tabular-nums">
              {r.planId ? <Link href={`/artifacts/plans/${r.planId}`} className="underline-offset-2 hover:underline">{formatDateTime(r.at)}</Link> : formatDateTime(r.at)}
              {r.dryRun && <Badge className="ml-2">dry run</Badge>}
            </TD>
            <TD className="min-w-40">
              {runners ? (
                <span className="break-all"><span className="font-medium">{r.host}</span> <span className="font-mono text-xs">{r.rootPath}</span></span>
              ) : r.rootId ? (
                <Link href={`/artifacts/${r.rootId}`} className="font-medium hover:underline">{r.rootName}</Link>
              ) : (
                <span className="break-all"><span className="font-mono text-xs">{r.rootPath}</span>{r.rootRemoved && <Badge className="ml-2">removed root</Badge>}</span>
              )}
            </TD>
            <TD className="text-right whitespace-nowrap tabular-nums">
              {formatBytes(r.bytesFreed)}
              {r.planned && <span className="block text-xs text-zinc-600 dark:text-zinc-400">planned {formatBytes(r.planned.bytesFreed)}</span>}
            </TD>
            <TD className="text-right tabular-nums">{formatPct(r.efficiencyPct)}</TD>
            <TD className="text-right tabular-nums">
              {formatNumber(r.deleted)}
              {r.planned && <span className="block text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">planned {formatNumber(r.planned.filesToDelete)}</span>}
            </TD>
            <TD className="text-right tabular-nums">
              {formatNumber(r.compressed)}
              {r.planned && <span className="block text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">planned {formatNumber(r.planned.filesToCompress)}</span>}
            </TD>
            <TD className="text-right tabular-nums">{formatNumber(r.skipped)}</TD>
            <TD className={r.failures ? 'text-right font-medium text-red-700 tabular-nums dark:text-red-400' : 'text-right tabular-nums'}>{formatNumber(r.failures)}</TD>
            <TD className="text-right whitespace-nowrap tabular-nums">
              {formatBytes(r.sizeAfterBytes)}
              {r.planned && <span className="block text-xs text-zinc-600 dark:text-zinc-400">planned {formatBytes(r.planned.bytesAfter)}</span>}
            </TD>
            <TD>{r.withinLimit ? <Badge tone="green">within</Badge> : <Badge tone="red">over</Badge>}</TD>
            <TD className="text-right whitespace-nowrap tabular-nums">{formatDuration(r.durationMs)}</TD>
            <TD className="min-w-48 text-xs break-words">{runners ? r.executedBy : `${r.approvedBy ?? '—'} / ${r.executedBy}`}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
