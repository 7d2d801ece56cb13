'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useModalDialog } from '@/components/ui/use-modal-dialog';
import { deleteCheckAction, pauseCheckAction, resumeCheckAction } from '@/lib/actions/cron';

/**
 * Operator controls on the check page: pause/resume (a paused check never alerts; resuming
 * starts it afresh: "new" until its next ping), and delete after a confirmation. The actions refuse
 * viewers whatever the page shows.
 */
export function CheckControls({ id, name, paused }: { id: string; name: string; paused: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const ref = useModalDialog(open);

  const togglePause = () =>
    startTransition(async () => {
      setError(null);
      const r = await (paused ? resumeCheckAction : pauseCheckAction)({ id });
      if (!r.ok) return setError(r.error.message);
      router.refresh();
    });
  const remove = () =>
    startTransition(async () => {
      setError(null);
      const r = await deleteCheckAction({ id });
      if (!r.ok) return setError(r.error.message);
      setOpen(false);
      router.push('/cron');
      router.refresh();
    });

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" onClick={togglePause} pending={pending && !open} pendingLabel={paused ? 'Resuming…' : 'Pausing…'}>
          {paused ? 'Resume' : 'Pause'}
        </Button>
        <Button size="sm" variant="danger" onClick={() => setOpen(true)} disabled={pending}>Delete</Button>
      </div>
      {error && !open && <Alert className="max-w-sm">{error}</Alert>}
      <dialog
        ref={ref}
        aria-labelledby="delete-check-title"
        aria-describedby="delete-check-desc"
        onCancel={(e) => {
          e.preventDefault();
          if (!pending) setOpen(false);
        }}
        className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-zinc-950/60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h2 id="delete-check-title" className="text-lg font-semibold [overflow-wrap:anywhere]">Delete check &ldquo;{name}&rdquo;?</h2>
        <p id="delete-check-desc" className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Its ping log, runs and flips go with it, and its ping URL stops working (a job still pinging it gets 404). Pause it instead to keep the history.
        </p>
        {error && <Alert className="mt-3">{error}</Alert>}
        <div className="mt-6 flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending}>Cancel</Button>
          <Button variant="danger" onClick={remove} pending={pending} pendingLabel="Deleting…">Delete check</Button>
        </div>
      </dialog>
    </div>
  );
}
