'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { pinAction, quarantineAction, unquarantineAction } from '@/lib/actions/flaky';
import type { ActionResult } from '@/lib/auth/action';

/** Operator controls on the test page: quarantine with a reason, unquarantine with a note, pin. */
export function TestActions({ testId, status, pinned }: { testId: string; status: string; pinned: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (fn: () => Promise<ActionResult<unknown>>) => {
    setError(null);
    startTransition(async () => {
      const res = await fn();
      if (res.ok) router.refresh();
      else setError(res.error.message);
    });
  };
  return (
    <div className="space-y-4">
      {status === 'quarantined' ? (
        <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => {
          e.preventDefault();
          const note = String(new FormData(e.currentTarget).get('note') ?? '');
          run(() => unquarantineAction({ testId, note }));
        }}>
          <Input id="unquarantine-note" name="note" label="Note" hint="optional: what was fixed" maxLength={500} fieldClassName="min-w-64 flex-1" />
          <Button type="submit" pending={pending} pendingLabel="Unquarantining…">Unquarantine</Button>
        </form>
      ) : (
        <form className="flex flex-wrap items-end gap-3" onSubmit={(e) => {
          e.preventDefault();
          const d = new FormData(e.currentTarget);
          const expires = String(d.get('expires') ?? '');
          run(() => quarantineAction({ testId, reason: String(d.get('reason') ?? ''), expiresAt: expires ? new Date(`${expires}T00:00:00Z`) : null }));
        }}>
          <Input id="quarantine-reason" name="reason" label="Reason" required maxLength={500} fieldClassName="min-w-64 flex-1" />
          <Input id="quarantine-expires" name="expires" type="date" label="Until" hint="optional (UTC)" fieldClassName="w-44" />
          <Button type="submit" variant="secondary" pending={pending} pendingLabel="Quarantining…">Quarantine</Button>
        </form>
      )}
      <Button size="sm" variant="ghost" disabled={pending} onClick={() => run(() => pinAction({ testId, pinned: !pinned, note: '' }))}>
        {pinned ? 'Remove the "never quarantine" pin' : 'Pin: never quarantine'}
      </Button>
      {error && <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">{error}</p>}
    </div>
  );
}
