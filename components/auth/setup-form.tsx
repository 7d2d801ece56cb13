'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { setupAdminAction } from '@/lib/actions/setup';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';

const MIN_PASSWORD = 10;

type SetupInput = { setupCode: string; name: string; email: string; password: string };

/** Checked here only to save a round trip; the server validates everything again. */
function localErrors(input: SetupInput, confirm: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.setupCode.trim()) errors.setupCode = 'Enter the setup code from the server log.';
  if (!input.name.trim()) errors.name = 'Name is required.';
  if (!input.email.trim()) errors.email = 'Email is required.';
  if (!input.password) errors.password = 'Password is required.';
  else if (input.password.length < MIN_PASSWORD) errors.password = `Must be at least ${MIN_PASSWORD} characters.`;
  if (!confirm) errors.confirm = 'Repeat the password.';
  else if (confirm !== input.password) errors.confirm = 'Does not match the password.';
  return errors;
}

/** First-run form: with the one-time setup code, creates the first admin, who is signed in straight away. */
export function SetupForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const value = (k: string) => String(form.get(k) ?? '');
    const input: SetupInput = { setupCode: value('setupCode'), name: value('name'), email: value('email'), password: value('password') };
    const local = localErrors(input, value('confirm'));
    setErrors(local);
    setFormError(Object.keys(local).length ? 'Fix the highlighted fields.' : null);
    if (Object.keys(local).length) return;
    startTransition(async () => {
      const res = await setupAdminAction(input);
      if (res.ok) {
        router.replace('/');
        router.refresh();
        return;
      }
      const fe = fieldErrors(res.error.details);
      setErrors(fe);
      setFormError(Object.keys(fe).length ? 'Fix the highlighted fields.' : res.error.message);
      if (res.error.code === 'conflict' && !res.error.details?.length) router.refresh();
    });
  }

  return (
    <form method="post" noValidate onSubmit={onSubmit} className="space-y-4" aria-label="Create the first admin">
      <Input
        id="setup-code"
        name="setupCode"
        label="Setup code"
        autoComplete="one-time-code"
        autoCapitalize="characters"
        spellCheck={false}
        required
        className="font-mono"
        hint={
          <>
            Printed in the server log at start (“First-run setup”). Missed it? Restart the server, or run <code className="whitespace-nowrap">npx steward setup-code</code>.
          </>
        }
        error={errors.setupCode}
      />
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
