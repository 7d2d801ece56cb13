import type { ReactNode } from 'react';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import type { CheckDetail } from '@/lib/services/cron/dto';
import { FRESHNESS_TONE } from './checks-table';
import { pingKindText, relative, seconds } from './format';

function zoned(iso: string, timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(new Date(iso));
  } catch {
    return null;
  }
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 text-sm text-zinc-900 [overflow-wrap:anywhere] dark:text-zinc-100">{children}</dd>
    </div>
  );
}

/** The check's settings and its last facts, as stored; the next five runs from the services. */
export function CheckFacts({ check, now }: { check: CheckDetail; now: Date }) {
  const s = check.schedule;
  const zone = s.kind === 'cron' && s.timezone !== 'UTC' ? s.timezone : null;
  const windows = (
    <Fact label="Maintenance windows">
      {check.maintenance.length === 0 ? 'none' : (
        <ul className="space-y-0.5 tabular-nums">
          {check.maintenance.map((m) => (
            <li key={`${m.start}-${m.end}`}>
              {formatDateTime(m.start)} → {formatDateTime(m.end)}
              {Date.parse(m.start) <= now.getTime() && now.getTime() < Date.parse(m.end) ? <> <Badge tone="blue">open now</Badge></> : Date.parse(m.end) <= now.getTime() ? <span className="text-zinc-500 dark:text-zinc-400"> (past)</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Fact>
  );
  if (check.type === 'freshness') {
    // Judged by the artifact's age alone: no schedule, runs or runtimes to show.
    return (
      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Fact label="Artifact"><span className="font-mono">{check.artifactPath ?? '—'}</span></Fact>
        <Fact label="Maximum age">{seconds(check.maxAgeSeconds)}</Fact>
        <Fact label="Freshness">{check.freshness ? <Badge tone={FRESHNESS_TONE[check.freshness]}>{check.freshness}</Badge> : 'not observed yet'}</Fact>
        <Fact label="Last observed">
          {check.observedAt ? <time dateTime={check.observedAt} title={formatDateTime(check.observedAt)}>{relative(check.observedAt, now)}</time> : 'never'}
          {check.source ? <span className="text-zinc-500 dark:text-zinc-400"> · {check.source === 'host' ? 'by Steward on this host' : `reported by ${check.source}`}</span> : null}
        </Fact>
        {windows}
        <Fact label="Created">{formatDateTime(check.createdAt)}</Fact>
      </dl>
    );
  }
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        <Fact label="Schedule">{check.scheduleText}</Fact>
        <Fact label="Last ping">
          {check.lastPingAt ? (
            <>
              <time dateTime={check.lastPingAt} title={formatDateTime(check.lastPingAt)}>{relative(check.lastPingAt, now)}</time>
              {check.lastPingKind ? ` · ${pingKindText(check.lastPingKind, null)}` : ''}
            </>
          ) : 'never'}
        </Fact>
        <Fact label="Last duration">{seconds(check.lastDurationSeconds)}</Fact>
        <Fact label="Failures in a row">{check.consecutiveFailures} (down at {check.failureThreshold})</Fact>
        <Fact label="Maximum runtime">{check.maxRuntimeSeconds === null ? 'within the grace' : seconds(check.maxRuntimeSeconds)}</Fact>
        <Fact label="Minimum runtime">{check.minRuntimeSeconds === null ? 'off' : seconds(check.minRuntimeSeconds)}</Fact>
        {windows}
        <Fact label="Created">{formatDateTime(check.createdAt)}</Fact>
      </dl>
      <div>
        <h3 className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{s.kind === 'period' ? 'Expected runs (counted from the last ping)' : `Next ${check.nextTimes.length === 1 ? 'run' : `${check.nextTimes.length} runs`}`}</h3>
        {check.nextTimes.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{check.paused ? 'None while paused.' : 'None scheduled.'}</p>
        ) : (
          <ol className="mt-1 space-y-1 text-sm tabular-nums" aria-label="Next expected times">
            {check.nextTimes.map((t) => {
              // A period schedule counts from the last ping, so on a late or down check the first
              // of these have already passed without one: said, not hidden.
              const missed = Date.parse(t) <= now.getTime();
              return (
                <li key={t} className={`flex gap-x-3 ${zone ? 'flex-col' : 'flex-wrap'} ${missed ? 'text-zinc-500 dark:text-zinc-400' : ''}`}>
                  {zone && <span className={missed ? '' : 'font-medium'}>{zoned(t, zone)}</span>}
                  <span className={zone ? 'text-zinc-500 dark:text-zinc-400' : missed ? '' : 'font-medium'}>{formatDateTime(t)}</span>
                  {missed && <span className="text-xs">passed, no ping</span>}
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </div>
  );
}
