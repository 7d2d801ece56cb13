'use client';
import Link from 'next/link';
import { useRef, useState, useTransition, type FormEvent } from 'react';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { cronExpressionProblem } from '@/lib/engine/cron-expression';
import { registerRootAction } from '@/lib/actions/retention';
import { MODE_OPTIONS, PRESET_OPTIONS } from './preset-options';

/** Admin form: register a directory as an artifact root with a preset policy and optional schedule. */
export function RegisterRootForm({ bases }: { bases: string[] }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => String(f.get(k) ?? '').trim();
    const input = { name: get('name'), path: get('path'), presetId: get('presetId'), schedule: get('schedule') || null, scheduleMode: get('scheduleMode') as 'approve' | 'auto' };
    setErrors({});
    setFormError(null);
    setAdded(null);
    const cronProblem = cronExpressionProblem(input.schedule ?? '');
    if (cronProblem) {
      setErrors(fieldErrors([{ field: 'schedule', message: cronProblem }]));
      setFormError('Fix the highlighted fields.');
      return;
    }
    startTransition(async () => {
      const res = await registerRootAction(input);
      if (res.ok) {
        formRef.current?.reset();
        setAdded({ id: res.data.id, name: input.name });
        return;
      }
      const fe = fieldErrors(res.error.details);
      setErrors(fe);
      setFormError(Object.keys(fe).length ? 'Fix the highlighted fields.' : res.error.message);
    });
  }

  return (
    <form ref={formRef} method="post" noValidate onSubmit={onSubmit} aria-labelledby="register-root-title">
      <h3 id="register-root-title" className="text-sm font-semibold">Register a root</h3>
      <div className="mt-3 grid gap-4 sm:grid-cols-2">
        <Input id="root-name" name="name" label="Name" placeholder="e.g. soak-nightly" required autoComplete="off" error={errors.name} />
        <Input id="root-path" name="path" label="Absolute path" placeholder={`${bases[0] ?? '/srv/artifacts'}/…`} required autoComplete="off" className="font-mono" hint={`Must be inside ${bases.join(' or ')}.`} error={errors.path} />
        <Select id="root-preset" name="presetId" label="Policy preset" options={PRESET_OPTIONS} defaultValue="ci-main" hint="Keep-latest for ITER_SUMMARY files, TTL, size cap. Edit the rules after registering." error={errors.presetId} />
        <Input id="root-schedule" name="schedule" label="Schedule (cron, optional)" placeholder="0 3 * * *" autoComplete="off" className="font-mono" hint="Empty: manual previews only. Times are UTC." error={errors.schedule} />
        <Select id="root-mode" name="scheduleMode" label="Scheduled runs" options={MODE_OPTIONS} defaultValue="approve" error={errors.scheduleMode} />
      </div>
      {formError && <Alert className="mt-3">{formError}</Alert>}
      {added && (
        <Alert tone="success" className="mt-3">
          Registered {added.name}. <Link href={`/artifacts/${added.id}`} className="font-medium underline">Open it</Link> to preview a cleanup.
        </Alert>
      )}
      <Button type="submit" className="mt-4" pending={pending} pendingLabel="Registering…">Register root</Button>
    </form>
  );
}
