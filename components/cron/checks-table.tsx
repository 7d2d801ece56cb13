import Link from 'next/link';
import { formatDateTime } from '@/components/format';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { FreshnessStatus } from '@/lib/engine/cron/types';
import type { CheckSummary } from '@/lib/services/cron/dto';
import { DurationSparkline } from './duration-sparkline';
import { displayText, pingKindText, relative, seconds, shortTime } from './format';
import { StateBadge } from './state-badge';

export const FRESHNESS_TONE: Record<FreshnessStatus, BadgeTone> = { fresh: 'green', stale: 'amber', missing: 'red', future: 'amber' };

/** "05:15 EET" in the check's own zone (cron schedules outside UTC), else null. */
function inZone(iso: string, timeZone: string | null): string | null {
  if (!timeZone || timeZone === 'UTC') return null;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(new Date(iso));
  } catch {
    return null;
  }
}

/**
 * The list's "next deadline": the first of expected / late / down still ahead, with how far off
 * it is, and for a cron schedule outside UTC the time in the check's own zone too.
 */
export function NextDeadline({ check, now }: { check: Pick<CheckSummary, 'expectedAt' | 'lateAt' | 'downAt' | 'schedule'>; now: Date }) {
  const next = ([['expected', check.expectedAt], ['late after', check.lateAt], ['down after', check.downAt]] as const).find(([, iso]) => iso && Date.parse(iso) > now.getTime());
  if (!next) return null;
  const [label, iso] = next as readonly [string, string];
  const zoned = inZone(iso, check.schedule.kind === 'cron' ? check.schedule.timezone : null);
  return (
    <p className="mt-1 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
      <span className="font-medium">Next:</span> {label}{' '}
      <time dateTime={iso} title={formatDateTime(iso)}>{zoned ? `${zoned} (${shortTime(iso, now)})` : shortTime(iso, now)}</time>, {relative(iso, now)}
    </p>
  );
}

/** When it is expected, when it turns late and down: each time exact in its title. */
export function Deadlines({ check, now }: { check: Pick<CheckSummary, 'expectedAt' | 'lateAt' | 'downAt'>; now: Date }) {
  // The words follow the clock: "late after 06:15" while it is ahead, "late since 06:15" once passed.
  const past = (iso: string) => Date.parse(iso) <= now.getTime();
  const parts = (
    [
      [check.expectedAt, 'expected', 'was expected'],
      [check.lateAt, 'late after', 'late since'],
      [check.downAt, 'down after', 'down since'],
    ] as const
  ).flatMap(([iso, ahead, passed]) => (iso ? [[past(iso) ? passed : ahead, iso] as const] : []));
  if (!parts.length) return null;
  return (
    <p className="mt-1 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
      {parts.map(([label, iso], i) => (
        <span key={label}>
          {i > 0 && ' · '}
          {label} <time dateTime={iso} title={`${formatDateTime(iso)} (${relative(iso, now)})`}>{shortTime(iso, now)}</time>
        </span>
      ))}
    </p>
  );
}

/** The checks list: state, schedule, last ping, the next deadline and why, recent durations. */
export function ChecksTable({ checks, now }: { checks: CheckSummary[]; now: Date }) {
  return (
    <Table caption="Cron checks" stack>
      <THead>
        <TR>
          <TH>Check</TH>
          <TH>State</TH>
          <TH>Schedule</TH>
          <TH>Last ping</TH>
          <TH>Next deadline and why</TH>
          <TH>Durations</TH>
        </TR>
      </THead>
      <TBody>
        {checks.map((c) => (
          <TR key={c.id}>
            <TD data-label="Check" className="min-w-[12rem]">
              <Link href={`/cron/${c.id}`} className="font-medium text-sky-700 [overflow-wrap:anywhere] hover:underline dark:text-sky-400">{displayText(c.name)}</Link>
              {c.slug && <div className="font-mono text-xs text-zinc-500 [overflow-wrap:anywhere] dark:text-zinc-400">{c.slug}</div>}
              {c.tags.length > 0 && (
                <div className="mt-1 flex flex-wrap gap-1">
                  {c.tags.map((t) => <Link key={t} href={`/cron?tag=${encodeURIComponent(t)}`} className="rounded bg-zinc-100 px-1.5 text-xs text-zinc-700 hover:underline dark:bg-zinc-800 dark:text-zinc-300">{t}</Link>)}
                </div>
              )}
            </TD>
            <TD data-label="State"><StateBadge state={c.state} /></TD>
            <TD data-label="Schedule" className="min-w-[10rem] text-xs [overflow-wrap:anywhere]">
              {c.type === 'freshness' ? <Badge className="mb-1">freshness</Badge> : null}
              <div>{c.scheduleText}</div>
            </TD>
            <TD data-label="Last ping" className="whitespace-nowrap">
              {c.type === 'freshness' && c.freshness ? (
                <Badge tone={FRESHNESS_TONE[c.freshness]}>{c.freshness}</Badge>
              ) : null}
              {c.lastPingAt ? (
                <div>
                  <time dateTime={c.lastPingAt} title={formatDateTime(c.lastPingAt)} className="tabular-nums">{relative(c.lastPingAt, now)}</time>
                  {c.lastPingKind && <div className="text-xs text-zinc-500 dark:text-zinc-400">{pingKindText(c.lastPingKind, null)}</div>}
                </div>
              ) : (
                <span className="text-zinc-500 dark:text-zinc-400">never</span>
              )}
            </TD>
            <TD data-label="Next deadline" className="min-w-[14rem]">
              <p className="text-sm [overflow-wrap:anywhere]">{displayText(c.reason)}</p>
              <NextDeadline check={c} now={now} />
            </TD>
            <TD data-label="Durations">
              <DurationSparkline durations={c.recentDurations} />
              {c.lastDurationSeconds !== null && <div className="mt-0.5 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">last {seconds(c.lastDurationSeconds)}</div>}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
