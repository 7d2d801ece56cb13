'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { openTicketAction } from '@/lib/actions/flaky';

/** Opens an investigation ticket by hand (operators); the server refuses when one is open. */
export function OpenTicketButton({ testId, label = 'Open a ticket' }: { testId: string; label?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-col items-start gap-1">
      <Button size="sm" variant="secondary" pending={pending} pendingLabel="Opening…" onClick={() => {
        setError(null);
        startTransition(async () => {
          const res = await openTicketAction({ testId, notes: '' });
          if (res.ok) router.refresh();
          else setError(res.error.message);
        });
      }}>{label}</Button>
      {error && <p role="alert" className="text-xs font-medium text-red-700 dark:text-red-400">{error}</p>}
    </div>
  );
}
