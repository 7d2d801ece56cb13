'use client';
import { useRef, useState, useTransition, type FormEvent } from 'react';
import { changePasswordAction } from '@/lib/actions/account';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';

const MIN_PASSWORD = 10;

/** Current password, new password twice. Success signs out every other session of this user. */
export function ChangePasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
      confirmPassword: String(form.get('confirmPassword') ?? ''),
    };
    // Checked here only to save a round trip; the server validates everything again.
    const local: FieldErrors = {};
    if (!input.currentPassword) local.currentPassword = 'Enter your current password.';
    if (!input.newPassword) local.newPassword = 'Enter a new password.';
    else if (input.newPassword.length < MIN_PASSWORD) local.newPassword = `Must be at least ${MIN_PASSWORD} characters.`;
    if (input.confirmPassword !== input.newPassword) local.confirmPassword = 'Does not match the new password.';
    setErrors(local);
    setDone(null);
    setFormError(Object.keys(local).length ? 'Fix the highlighted fields.' : null);
    if (Object.keys(local).length) return;
    startTransition(async () => {
      const res = await changePasswordAction(input);
      if (res.ok) {
        formRef.current?.reset();
        const n = res.data.otherSessionsEnded;
        setDone(`Password changed. ${n === 0 ? 'You had no other sessions.' : `${n} other session${n === 1 ? '' : 's'} signed out.`}`);
        return;
      }
      const fe = fieldErrors(res.error.details);
      setErrors(fe);
      setFormError(Object.keys(fe).length ? 'Fix the highlighted fields.' : res.error.message);
    });
  }

  return (
    <form ref={formRef} method="post" noValidate onSubmit={onSubmit} aria-labelledby="change-password-title" className="mt-6 border-t border-zinc-200 pt-5 dark:border-zinc-800">
      <h3 id="change-password-title" className="text-sm font-semibold">
        Change password
      </h3>
      <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Signs you out everywhere else (other browsers and devices).</p>
      <div className="mt-3 grid gap-4 sm:grid-cols-3">
        <Input id="current-password" name="currentPassword" type="password" label="Current password" autoComplete="current-password" required error={errors.currentPassword} />
        <Input
          id="new-password"
          name="newPassword"
          type="password"
          label="New password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          hint={`At least ${MIN_PASSWORD} characters.`}
          error={errors.newPassword}
        />
        <Input id="confirm-new-password" name="confirmPassword" type="password" label="Repeat new password" autoComplete="new-password" required error={errors.confirmPassword} />
      </div>
      {formError && <Alert className="mt-3">{formError}</Alert>}
      {done && (
        <Alert tone="success" className="mt-3">
          {done}
        </Alert>
      )}
      <Button type="submit" className="mt-4" pending={pending} pendingLabel="Changing…">
        Change password
      </Button>
    </form>
  );
}
