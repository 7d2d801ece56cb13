'use client';
import { useEffect, useState, type ReactNode } from 'react';
import { describeSchedule, nextTimes, scheduleProblems } from '@/lib/engine/cron/schedule';
import type { Schedule } from '@/lib/engine/cron/types';
import { serverErrors } from './form-model';

const PREVIEW = 5;
/** Re-evaluated every 30 s so "next" stays next while the form is open. */
const TICK_MS = 30_000;

function formatter(timeZone: string): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  } catch {
    return null;
  }
}

const utc = formatter('UTC')!;

/** Problems the engine finds in a schedule, as the form's sentences ("Cron expression minute must be 0–59."). */
function problemsOf(schedule: Schedule): string[] {
  const { fields, rest } = serverErrors(scheduleProblems(schedule));
  return [...Object.values(fields).filter((m): m is string => Boolean(m)), ...rest];
}

/**
 * The next five fire times of the schedule being typed, from the engine the server uses, shown in
 * the check's time zone and in UTC. Computed in the browser only (after mount), so the server
 * render never disagrees with it about "now".
 */
export function SchedulePreview({ schedule, fieldError }: { schedule: Schedule | null; fieldError?: string | null }) {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    // The clock starts after mount (never during the server render) and ticks so "next" stays next.
    const tick = () => setNow(new Date());
    const first = setTimeout(tick, 0);
    const t = setInterval(tick, TICK_MS);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, []);

  let body: ReactNode;
  if (!schedule) body = <p className="text-sm text-zinc-600 dark:text-zinc-400">{fieldError ?? 'Fill in the schedule to see its next runs.'}</p>;
  else if (!now) body = <p className="text-sm text-zinc-600 dark:text-zinc-400">Computing the next runs…</p>;
  else {
    let problems: string[];
    let times: Date[] = [];
    let text = '';
    try {
      problems = problemsOf(schedule);
      if (problems.length === 0) {
        times = nextTimes(schedule, now, PREVIEW);
        text = describeSchedule(schedule);
      }
    } catch (e) {
      problems = [e instanceof Error ? e.message : 'This schedule cannot be evaluated.'];
    }
    const zone = schedule.kind === 'cron' ? schedule.timezone : 'UTC';
    const local = formatter(zone);
    body = problems.length ? (
      <ul className="list-inside list-disc text-sm text-red-700 dark:text-red-400" data-testid="schedule-problems">
        {problems.map((p) => <li key={p}>{p}</li>)}
      </ul>
    ) : (
      <>
        <p className="text-sm font-medium text-zinc-900 [overflow-wrap:anywhere] dark:text-zinc-100" data-testid="schedule-text">{text}</p>
        {schedule.kind === 'period' && <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">A period schedule counts from the last ping; these assume one arrives now.</p>}
        <ol className="mt-2 space-y-1 text-sm tabular-nums" aria-label="Next five expected times">
          {times.map((t) => (
            <li key={t.toISOString()} className="flex flex-wrap gap-x-3">
              {schedule.kind === 'cron' && zone !== 'UTC' && local && <span className="font-medium">{local.format(t)}</span>}
              <span className={schedule.kind === 'cron' && zone !== 'UTC' ? 'text-zinc-500 dark:text-zinc-400' : 'font-medium'}>{utc.format(t)}</span>
            </li>
          ))}
        </ol>
        {times.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">This schedule never fires.</p>}
      </>
    );
  }
  return (
    <section aria-labelledby="preview-title" aria-live="polite" className="rounded-md border border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-800 dark:bg-zinc-950">
      <h3 id="preview-title" className="mb-2 text-sm font-semibold text-zinc-800 dark:text-zinc-200">Next five runs</h3>
      {body}
    </section>
  );
}
