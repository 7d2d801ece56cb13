'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useModalDialog } from '@/components/ui/use-modal-dialog';
import { removeRootAction } from '@/lib/actions/retention';

/**
 * Admin control: remove the root, after a confirmation that says what happens to its schedule,
 * plans, samples and history (sentences computed on the server from stored counts). A cleanup in
 * progress blocks removal; the server refuses it too.
 */
export function RemoveRoot({ rootId, name, consequences, blockedBy }: { rootId: string; name: string; consequences: string[]; blockedBy: string | null }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const ref = useModalDialog(open);

  function confirm() {
    setError(null);
    startTransition(async () => {
      const res = await removeRootAction({ rootId });
      if (!res.ok) return setError(res.error.message);
      setOpen(false);
      router.push('/artifacts');
      router.refresh();
    });
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>Remove root</Button>
      <dialog ref={ref} aria-labelledby="remove-root-title" aria-describedby="remove-root-desc"
        onCancel={(e) => {
          e.preventDefault();
          if (!pending) setOpen(false);
        }}
        className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-zinc-950/60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
        <h2 id="remove-root-title" className="text-lg font-semibold break-words">Remove root &ldquo;{name}&rdquo;?</h2>
        <p id="remove-root-desc" className="mt-2 text-sm">Steward stops managing this directory.</p>
        <ul className="mt-3 list-inside list-disc space-y-1 text-sm break-words text-zinc-600 dark:text-zinc-400">
          {consequences.map((c) => <li key={c}>{c}</li>)}
        </ul>
        {blockedBy && <Alert tone="warning" className="mt-3">A cleanup is in progress (plan {blockedBy}); the root can be removed when it has finished.</Alert>}
        {error && <Alert className="mt-3">{error}</Alert>}
        <div className="mt-6 flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>Cancel</Button>
          <Button variant="danger" onClick={confirm} pending={pending} pendingLabel="Removing…" disabled={blockedBy !== null}>Remove root</Button>
        </div>
      </dialog>
    </>
  );
}
