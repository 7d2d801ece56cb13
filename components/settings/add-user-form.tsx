'use client';
import { useRef, useState, useTransition, type FormEvent } from 'react';
import { createUserAction } from '@/lib/actions/users';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { ROLE_HINT, ROLE_OPTIONS } from './role-options';

type Role = 'viewer' | 'operator' | 'admin';

/** Creates an account with a password the admin hands over; the form keeps its input on error. */
export function AddUserForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      role: String(form.get('role') ?? 'viewer') as Role,
    };
    setErrors({});
    setFormError(null);
    setAdded(null);
    startTransition(async () => {
      const res = await createUserAction(input);
      if (res.ok) {
        formRef.current?.reset();
        setAdded(`Added ${res.data.email} as ${res.data.role}.`);
        return;
      }
      const fe = fieldErrors(res.error.details);
      setErrors(fe);
      setFormError(Object.keys(fe).length ? 'Fix the highlighted fields.' : res.error.message);
    });
  }

  return (
    <form ref={formRef} method="post" noValidate onSubmit={onSubmit} aria-labelledby="add-user-title" className="mt-6 border-t border-zinc-200 pt-5 dark:border-zinc-800">
      <h3 id="add-user-title" className="text-sm font-semibold">
        Add user
      </h3>
      <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Input id="new-user-name" name="name" label="Name" autoComplete="off" required error={errors.name} />
        <Input id="new-user-email" name="email" type="email" label="Email" autoComplete="off" required error={errors.email} />
        <Input
          id="new-user-password"
          name="password"
          type="password"
          label="Password"
          autoComplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters."
          error={errors.password}
        />
        <Select id="new-user-role" name="role" label="Role" options={ROLE_OPTIONS} defaultValue="viewer" error={errors.role} />
      </div>
      <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">{ROLE_HINT}</p>
      {formError && <Alert className="mt-3">{formError}</Alert>}
      {added && (
        <Alert tone="success" className="mt-3">
          {added}
        </Alert>
      )}
      <Button type="submit" className="mt-4" pending={pending} pendingLabel="Adding…">
        Add user
      </Button>
    </form>
  );
}
