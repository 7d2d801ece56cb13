'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { previewCleanupAction } from '@/lib/actions/retention';

/** Scans the root, stores a plan (dry run: nothing is touched) and opens it. */
export function PreviewButton({ rootId }: { rootId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button pending={pending} pendingLabel="Scanning…" onClick={() => {
        setError(null);
        startTransition(async () => {
          const res = await previewCleanupAction({ rootId });
          if (res.ok) router.push(`/artifacts/plans/${res.data.planId}`);
          else setError(res.error.message);
        });
      }}>
        Preview cleanup
      </Button>
      {error && <p role="alert" className="max-w-xs text-right text-xs font-medium text-red-700 dark:text-red-400">{error}</p>}
    </div>
  );
}
