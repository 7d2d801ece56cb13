'use client';
import { useState, useTransition, type FormEvent } from 'react';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { cronExpressionProblem } from '@/lib/engine/cron-expression';
import { updateRootAction } from '@/lib/actions/retention';
import { MODE_OPTIONS } from './preset-options';

/** Cron schedule, what a scheduled run does (plan only / plan and execute) and its time zone. */
export function ScheduleEditor({ rootId, schedule, scheduleMode, timezone }: { rootId: string; schedule: string | null; scheduleMode: string; timezone: string }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const cron = String(f.get('schedule') ?? '').trim();
    const input = { rootId, schedule: cron || null, scheduleMode: String(f.get('scheduleMode')) as 'approve' | 'auto', timezone: String(f.get('timezone') ?? '').trim() || 'UTC' };
    setErrors({});
    setMessage(null);
    // The same check (and message) as the server's, before the round trip.
    const cronProblem = cronExpressionProblem(cron);
    if (cronProblem) {
      setErrors(fieldErrors([{ field: 'schedule', message: cronProblem }]));
      return;
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone: input.timezone });
    } catch {
      setErrors({ timezone: `Unknown time zone "${input.timezone}"; use an IANA name such as UTC or Europe/Berlin.` });
      return;
    }
    startTransition(async () => {
      const res = await updateRootAction(input);
      if (res.ok) {
        setMessage({ tone: 'success', text: cron ? 'Schedule saved.' : 'Schedule removed: previews are manual only.' });
        return;
      }
      const fe = fieldErrors(res.error.details);
      setErrors(fe);
      setMessage({ tone: 'error', text: Object.keys(fe).length ? 'Fix the highlighted fields.' : res.error.message });
    });
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="schedule-title">
      <div className="grid gap-4 sm:grid-cols-3">
        <Input id="schedule-cron" name="schedule" label="Cron expression" defaultValue={schedule ?? ''} placeholder="0 3 * * *" autoComplete="off" className="font-mono" hint="Empty for manual only." error={errors.schedule} />
        <Select id="schedule-mode" name="scheduleMode" label="Scheduled runs" defaultValue={scheduleMode} options={MODE_OPTIONS} error={errors.scheduleMode} />
        <Input id="schedule-tz" name="timezone" label="Time zone" defaultValue={timezone} placeholder="UTC" autoComplete="off" hint="IANA name, e.g. Europe/Berlin." error={errors.timezone} />
      </div>
      {message && <Alert tone={message.tone} className="mt-3">{message.text}</Alert>}
      <Button type="submit" variant="secondary" className="mt-4" pending={pending} pendingLabel="Saving…">Save schedule</Button>
    </form>
  );
}
