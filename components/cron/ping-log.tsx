import { formatDateTime } from '@/components/format';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { PingKind } from '@/lib/engine/cron/types';
import type { PingRow } from '@/lib/services/cron/dto';
import { displayText, pingKindText, relative, seconds } from './format';

export const PING_TONE: Record<PingKind, BadgeTone> = { success: 'green', start: 'blue', fail: 'red', log: 'neutral' };

/**
 * The check's pings, newest first. Everything here came from whoever holds the ping URL (body,
 * user agent, rid): rendered as text, ANSI escapes stripped, the body behind a disclosure.
 */
export function PingLog({ pings, now }: { pings: PingRow[]; now: Date }) {
  return (
    <Table caption="Ping log, newest first" stack>
      <THead>
        <TR>
          <TH>Time</TH>
          <TH>Kind</TH>
          <TH>Duration</TH>
          <TH>Source</TH>
          <TH>User agent</TH>
          <TH>Body</TH>
        </TR>
      </THead>
      <TBody>
        {pings.map((p) => {
          const body = displayText(p.body);
          const ua = displayText(p.userAgent);
          return (
            <TR key={p.id}>
              <TD data-label="Time" className="whitespace-nowrap tabular-nums">
                <time dateTime={p.at} title={formatDateTime(p.at)}>{relative(p.at, now)}</time>
                <div className="text-xs text-zinc-500 dark:text-zinc-400">{formatDateTime(p.at)}</div>
              </TD>
              <TD data-label="Kind" className="whitespace-nowrap">
                <Badge tone={p.tooFast ? 'red' : PING_TONE[p.kind]}>{pingKindText(p.kind, p.exitStatus)}</Badge>
                {p.tooFast && <div className="mt-1"><Badge tone="amber">too fast</Badge></div>}
                {p.rid && <div className="mt-1 max-w-[10rem] truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={`run id ${displayText(p.rid)}`}>rid {displayText(p.rid)}</div>}
              </TD>
              <TD data-label="Duration" className="whitespace-nowrap tabular-nums">{seconds(p.durationSeconds)}</TD>
              <TD data-label="Source" className="text-xs [overflow-wrap:anywhere]">
                <span className="font-mono">{p.method}</span>
                <div className="text-zinc-500 dark:text-zinc-400">{p.sourceAddress ?? '—'}</div>
              </TD>
              <TD data-label="User agent" className="max-w-[16rem] text-xs [overflow-wrap:anywhere]">{ua || '—'}</TD>
              <TD data-label="Body" className="min-w-[10rem] max-w-[28rem]">
                {body ? (
                  <details>
                    <summary className="cursor-pointer text-xs text-sky-700 dark:text-sky-400">
                      {body.length.toLocaleString('en-US')} characters{p.bodyTruncated ? ' (truncated)' : ''}
                    </summary>
                    <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-50 p-2 font-mono text-xs whitespace-pre-wrap [overflow-wrap:anywhere] dark:bg-zinc-900">{body}</pre>
                  </details>
                ) : (
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">empty</span>
                )}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
