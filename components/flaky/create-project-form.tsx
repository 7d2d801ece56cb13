'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';
import { createProjectAction } from '@/lib/actions/flaky';

/** Admins create projects; CI then uploads with `--project <key>`. */
export function CreateProjectForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="grid gap-4 md:grid-cols-[1fr_2fr_auto] md:items-start"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        setErrors({});
        setMessage(null);
        startTransition(async () => {
          const res = await createProjectAction({ key: String(data.get('key') ?? ''), name: String(data.get('name') ?? '') });
          if (res.ok) router.push(`/flaky/${res.data.key}`);
          else {
            setErrors(fieldErrors(res.error.details));
            setMessage(res.error.message);
          }
        });
      }}
    >
      <Input id="project-key" name="key" label="Key" hint="used by CI: lowercase letters, digits, . _ -" required maxLength={64} error={errors.key} />
      <Input id="project-name" name="name" label="Name" required maxLength={120} error={errors.name} />
      <Button type="submit" className="md:mt-6" pending={pending} pendingLabel="Creating…">Create project</Button>
      {message && !Object.keys(errors).length && <p role="alert" className="text-sm font-medium text-red-700 md:col-span-3 dark:text-red-400">{message}</p>}
    </form>
  );
}
