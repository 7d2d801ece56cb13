'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { setupAdminAction } from '@/lib/actions/setup';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';

const MIN_PASSWORD = 10;

/** First-run form: creates the first admin, who is signed in straight away. */
export function SetupForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
    const confirm = String(form.get('confirm') ?? '');
    // Checked here only to save a round trip; the server validates everything again.
    const local: FieldErrors = {};
    if (input.password.length < MIN_PASSWORD) local.password = `Must be at least ${MIN_PASSWORD} characters.`;
    if (confirm !== input.password) local.confirm = 'Does not match the password.';
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    startTransition(async () => {
      const res = await setupAdminAction(input);
      if (res.ok) {
        router.replace('/');
        router.refresh();
        return;
      }
      setErrors(fieldErrors(res.error.details));
      setFormError(res.error.details?.length ? 'Fix the highlighted fields.' : res.error.message);
      if (res.error.code === 'conflict' && !res.error.details?.length) router.refresh();
    });
  }

  return (
    <form method="post" noValidate onSubmit={onSubmit} className="space-y-4" aria-label="Create the first admin">
      <Input id="setup-name" name="name" label="Name" autoComplete="name" required error={errors.name} />
      <Input id="setup-email" name="email" type="email" label="Email" autoComplete="email" required error={errors.email} />
      <Input
        id="setup-password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD}
        hint={`At least ${MIN_PASSWORD} characters.`}
        error={errors.password}
      />
      <Input id="setup-confirm" name="confirm" type="password" label="Confirm password" autoComplete="new-password" required error={errors.confirm} />
      {formError && <Alert>{formError}</Alert>}
      <Button type="submit" className="w-full" pending={pending} pendingLabel="Creating admin…">
        Create admin and sign in
      </Button>
    </form>
  );
}
