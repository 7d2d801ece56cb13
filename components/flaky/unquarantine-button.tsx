'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { unquarantineAction } from '@/lib/actions/flaky';

/** One click (operator): the server refuses anyone else and writes the audit row. */
export function UnquarantineButton({ testId, name, eligible, note = '' }: { testId: string; name: string; eligible: boolean; note?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        size="sm"
        variant={eligible ? 'primary' : 'secondary'}
        pending={pending}
        pendingLabel="Unquarantining…"
        aria-label={`Unquarantine ${name}`}
        onClick={() => {
          setError(null);
          startTransition(async () => {
            const res = await unquarantineAction({ testId, note });
            if (res.ok) router.refresh();
            else setError(res.error.message);
          });
        }}
      >
        Unquarantine
      </Button>
      {error && <p role="alert" className="max-w-xs text-xs font-medium text-red-700 dark:text-red-400">{error}</p>}
    </div>
  );
}
