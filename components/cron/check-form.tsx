'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState, useTransition, type FormEvent } from 'react';
import type { FieldErrors } from '@/components/field-errors';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClasses } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { createCheckAction, updateCheckAction } from '@/lib/actions/cron';
import { initialValues, scheduleOf, serverErrors, toInput, type CheckFormSource, type CheckFormValues } from './form-model';
import { MaintenanceFields } from './maintenance-fields';
import { SchedulePreview } from './schedule-preview';

const TYPE_OPTIONS = [
  { value: 'ping', label: 'Ping: the job calls a URL' },
  { value: 'freshness', label: 'Freshness: an artifact file must be recent' },
];

const legend = 'text-sm font-semibold text-zinc-900 dark:text-zinc-100';
const box = 'space-y-4 rounded-lg border border-zinc-200 bg-white p-5 shadow-xs dark:border-zinc-800 dark:bg-zinc-900';

/**
 * Create or edit a check. The fields hold what was typed; durations are human units ("5m", "1h")
 * parsed by the engine's parseDuration, and the schedule's next five runs are previewed live with
 * the engine the server uses. The action validates again; its field issues land next to each field.
 */
export function CheckForm({ check, timeZones, pingKeys, roots }: { check?: CheckFormSource | null; timeZones: string[]; pingKeys: { id: string; name: string }[]; roots: { id: string; name: string; path: string }[] }) {
  const router = useRouter();
  const [v, setV] = useState<CheckFormValues>(() => {
    const init = initialValues(check);
    return { ...init, pingKeyId: pingKeys.find((k) => k.name === check?.pingKeyName)?.id ?? '' };
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const nextKey = useRef(v.maintenance.length);
  const set = <K extends keyof CheckFormValues>(k: K) => (value: CheckFormValues[K]) => setV((cur) => ({ ...cur, [k]: value }));
  const text = (k: 'name' | 'slug' | 'tags' | 'period' | 'grace' | 'expression' | 'maxRuntime' | 'minRuntime' | 'failureThreshold' | 'artifactPath' | 'maxAge') => ({
    id: `check-${k}`,
    name: k,
    value: v[k],
    onChange: (e: { currentTarget: { value: string } }) => set(k)(e.currentTarget.value),
    error: errors[k],
    autoComplete: 'off',
  });
  const preview = useMemo(() => scheduleOf(v), [v]);
  const zones = useMemo(() => {
    const list = ['UTC', ...timeZones.filter((z) => z !== 'UTC')];
    if (v.timezone && !list.includes(v.timezone)) list.unshift(v.timezone);
    return list.map((z) => ({ value: z, label: z }));
  }, [timeZones, v.timezone]);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setFormError(null);
    const { input, errors: local } = toInput(v);
    setErrors(local);
    if (!input) return setFormError('Fix the highlighted fields.');
    startTransition(async () => {
      const res = check ? await updateCheckAction({ id: check.id, check: input }) : await createCheckAction(input);
      if (res.ok) {
        router.push(`/cron/${res.data.id}`);
        router.refresh();
        return;
      }
      const { fields, rest } = serverErrors(res.error.details);
      setErrors(fields);
      setFormError(Object.keys(fields).length ? ['Fix the highlighted fields.', ...rest].join(' ') : res.error.message);
    });
  }

  const scheduleError = v.scheduleKind === 'period' ? errors.period ?? errors.grace : errors.expression ?? errors.timezone ?? errors.grace;
  return (
    <form method="post" noValidate onSubmit={onSubmit} aria-label={check ? `Edit ${check.name}` : 'New check'} className="space-y-6">
      <fieldset className={box}>
        <legend className={`${legend} float-left mb-1 w-full`}>Check</legend>
        <div className="grid clear-both gap-4 sm:grid-cols-2">
          <Input {...text('name')} label="Name" placeholder="e.g. nightly backup" required maxLength={200} />
          <Select id="check-type" name="type" label="Type" value={v.type} onChange={(e) => set('type')(e.currentTarget.value as CheckFormValues['type'])} options={TYPE_OPTIONS} disabled={Boolean(check)} hint={check ? 'A check keeps its type; create a new one to change it.' : undefined} error={errors.type} />
          {v.type === 'freshness' ? null : pingKeys.length > 0 || v.slug ? (
            <>
              <Input {...text('slug')} label="Slug (optional)" placeholder="e.g. nightly-backup" className="font-mono" maxLength={100} hint="For /ping/<ping-key>/<slug> URLs: lowercase letters, digits, - and _." />
              <Select id="check-pingKeyId" name="pingKeyId" label="Ping key" value={v.pingKeyId} onChange={(e) => set('pingKeyId')(e.currentTarget.value)} options={[{ value: '', label: 'none (uuid URL only)' }, ...pingKeys.map((k) => ({ value: k.id, label: k.name }))]} hint="Needed with a slug: the slug URL uses this key." error={errors.pingKeyId} />
            </>
          ) : (
            <p className="text-xs text-zinc-500 sm:col-span-2 dark:text-zinc-400">The check gets a uuid ping URL. To ping checks by slug (/ping/&lt;ping-key&gt;/&lt;slug&gt;), an admin creates a ping key on the Cron page.</p>
          )}
          <Input {...text('tags')} label="Tags (optional)" placeholder="e.g. prod backups" hint="Separated by spaces or commas." fieldClassName="sm:col-span-2" />
        </div>
      </fieldset>

      {v.type === 'freshness' && (
        <fieldset className={box}>
          <legend className={`${legend} float-left mb-1 w-full`}>Artifact</legend>
          <div className="grid clear-both gap-4 sm:grid-cols-3">
            <Select id="check-artifactRootId" name="artifactRootId" label="Artifact root" value={v.artifactRootId} onChange={(e) => set('artifactRootId')(e.currentTarget.value)} options={[{ value: '', label: 'none: reported by the sentinel' }, ...roots.map((r) => ({ value: r.id, label: `${r.name} (${r.path})` }))]} hint="Steward checks the file itself when it is under an artifact root." error={errors.artifactRootId} />
            <Input {...text('artifactPath')} label="Artifact path" placeholder="reports/nightly_*.json" className="font-mono" hint="Relative to the root (or the sentinel's base); a glob judges its newest match." />
            <Input {...text('maxAge')} label="Maximum age" placeholder="36h" className="font-mono" hint="Older than this is stale; a missing file is down." />
          </div>
        </fieldset>
      )}

      {v.type === 'ping' && (
        <>
          <fieldset className={box}>
            <legend className={`${legend} float-left mb-1 w-full`}>Schedule</legend>
            <div className="grid clear-both gap-4 lg:grid-cols-2">
              <div className="space-y-4">
                <div role="radiogroup" aria-label="Schedule kind" className="flex flex-wrap gap-4 text-sm">
                  {(['period', 'cron'] as const).map((k) => (
                    <label key={k} className="flex items-center gap-2">
                      <input type="radio" name="scheduleKind" value={k} checked={v.scheduleKind === k} onChange={() => set('scheduleKind')(k)} className="size-4 accent-sky-600" />
                      {k === 'period' ? 'Every period' : 'Cron expression'}
                    </label>
                  ))}
                </div>
                {v.scheduleKind === 'period' ? (
                  <div className="grid gap-4 sm:grid-cols-2">
                    <Input {...text('period')} label="Period" placeholder="1d" className="font-mono" hint="Expected every… e.g. 5m, 1h, 1d." />
                    <Input {...text('grace')} label="Grace" placeholder="1h" className="font-mono" hint="Late for this long, then down." />
                  </div>
                ) : (
                  <div className="grid gap-4 sm:grid-cols-2">
                    <Input {...text('expression')} label="Cron expression" placeholder="15 5 * * *" className="font-mono" hint="minute hour day-of-month month day-of-week" fieldClassName="sm:col-span-2" />
                    <Select id="check-timezone" name="timezone" label="Time zone" value={v.timezone} onChange={(e) => set('timezone')(e.currentTarget.value)} options={zones} error={errors.timezone} />
                    <Input {...text('grace')} label="Grace" placeholder="1h" className="font-mono" hint="Late for this long, then down." />
                  </div>
                )}
              </div>
              <SchedulePreview schedule={preview.schedule} fieldError={scheduleError ?? Object.values(preview.errors)[0] ?? null} />
            </div>
          </fieldset>

          <fieldset className={box}>
            <legend className={`${legend} float-left mb-1 w-full`}>Runs</legend>
            <div className="grid clear-both gap-4 sm:grid-cols-3">
              <Input {...text('maxRuntime')} label="Maximum runtime (optional)" placeholder="e.g. 30m" className="font-mono" hint="After a /start, the finish must come within this; empty: within the grace." />
              <Input {...text('minRuntime')} label="Minimum runtime (optional)" placeholder="e.g. 10s" className="font-mono" hint="A success sooner than this after its start is a failure." />
              <Input {...text('failureThreshold')} label="Failure threshold" inputMode="numeric" hint="Down after this many failures in a row." />
            </div>
          </fieldset>
        </>
      )}

      <MaintenanceFields
        className={box}
        legendClassName={`${legend} float-left mb-1 w-full`}
        rows={v.maintenance}
        errors={errors}
        onChange={set('maintenance')}
        newKey={() => nextKey.current++}
      />

      {formError && <Alert>{formError}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" pending={pending} pendingLabel={check ? 'Saving…' : 'Creating…'}>{check ? 'Save check' : 'Create check'}</Button>
        <Link href={check ? `/cron/${check.id}` : '/cron'} className={buttonClasses('secondary')}>Cancel</Link>
      </div>
    </form>
  );
}
