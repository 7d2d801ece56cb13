'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { refreshAllReadyAction } from '@/lib/actions/perf';

/** One note for every ready series of the branch (operator). Says what moved and what did not. */
export function RefreshAllForm({ project, branch, ready }: { project: string; branch: string; ready: number }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      aria-label="Refresh all ready baselines"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const note = String(new FormData(form).get('note') ?? '');
        setMessage(null);
        startTransition(async () => {
          const res = await refreshAllReadyAction({ project, branch, note });
          if (!res.ok) return setMessage({ ok: false, text: res.error.message });
          const r = res.data;
          setMessage({ ok: true, text: `Refreshed ${r.refreshed.length} baseline(s)${r.refreshed.length ? `: ${r.refreshed.map((x) => `${x.metric} on ${x.testbed} → v${x.version}`).join(', ')}` : ''}; ${r.notReady.length} not ready.` });
          form.reset();
          router.refresh();
        });
      }}
    >
      <Input id="refresh-all-note" name="note" label="Note" required maxLength={2000} hint='e.g. "weekly refresh: gate green, no regressions, stable"' fieldClassName="min-w-64 flex-1" />
      <Button type="submit" pending={pending} pendingLabel="Refreshing…" disabled={ready === 0}>Refresh all ready ({ready})</Button>
      {message && <p role={message.ok ? 'status' : 'alert'} className={`w-full text-sm break-words ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'font-medium text-red-700 dark:text-red-400'}`}>{message.text}</p>}
    </form>
  );
}
