'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { setRegressionStatusAction } from '@/lib/actions/perf';

/** Acknowledge or close a regression by hand, with a note (operator; the server checks again). */
export function RegressionActions({ project, id, status, label }: { project: string; id: string; status: 'open' | 'acknowledged'; label: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="mt-2 flex flex-wrap items-end gap-2"
      aria-label={`Update the regression of ${label}`}
      onSubmit={(e) => {
        e.preventDefault();
        const to = ((e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value === 'fixed' ? 'fixed' : 'acknowledged';
        const note = String(new FormData(e.currentTarget).get('note') ?? '');
        setError(null);
        startTransition(async () => {
          const res = await setRegressionStatusAction({ project, id, status: to, note });
          if (res.ok) router.refresh();
          else setError(res.error.message);
        });
      }}
    >
      <Input id={`reg-note-${id}`} name="note" label="Note" required maxLength={2000} fieldClassName="min-w-48 flex-1" className="h-8" />
      {status === 'open' && <Button type="submit" size="sm" variant="secondary" value="acknowledged" pending={pending}>Acknowledge</Button>}
      <Button type="submit" size="sm" variant="secondary" value="fixed" pending={pending}>Mark fixed</Button>
      {error && <p role="alert" className="w-full text-xs font-medium text-red-700 dark:text-red-400">{error}</p>}
    </form>
  );
}
