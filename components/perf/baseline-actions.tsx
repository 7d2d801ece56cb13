'use client';
import { useRouter } from 'next/navigation';
import { createContext, useContext, useState, useTransition, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { refreshBaselineAction, rollbackBaselineAction } from '@/lib/actions/perf';
import type { ActionResult } from '@/lib/auth/action';

export interface SeriesRef { project: string; key: { metricId: string; testbedId: string; branch: string }; expectedVersion: number }

type Message = { ok: boolean; text: string } | null;

const statusText = (message: Message) => message && <p role={message.ok ? 'status' : 'alert'} className={`w-full text-sm break-words ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'font-medium text-red-700 dark:text-red-400'}`}>{message.text}</p>;

/**
 * Where a rollback's outcome is shown: above the versions table, not in the form, because a
 * successful rollback re-renders the table without that version's form (it is now current), and
 * a message inside it would vanish with it.
 */
const RollbackStatusContext = createContext<((m: Message) => void) | null>(null);

export function RollbackStatus({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Message>(null);
  return (
    <RollbackStatusContext.Provider value={setMessage}>
      {message && <div className="mb-3">{statusText(message)}</div>}
      {children}
    </RollbackStatusContext.Provider>
  );
}

function useRun(report?: ((m: Message) => void) | null) {
  const router = useRouter();
  const [own, setOwn] = useState<Message>(null);
  const message = report ? null : own;
  const setMessage = report ?? setOwn;
  const [pending, startTransition] = useTransition();
  const run = (form: HTMLFormElement, fn: (note: string) => Promise<ActionResult<unknown>>, ok: string) => {
    const note = String(new FormData(form).get('note') ?? '');
    setMessage(null);
    startTransition(async () => {
      const res = await fn(note);
      if (!res.ok) return setMessage({ ok: false, text: res.error.message });
      setMessage({ ok: true, text: ok });
      form.reset();
      router.refresh();
    });
  };
  return { run, pending, text: statusText(message) };
}

/**
 * Refresh with a note (operator). `expectedVersion` is the head's version the page was rendered
 * with: if someone moved the baseline since, the server answers a conflict instead of stacking a
 * second refresh on top.
 */
export function RefreshBaselineForm({ series }: { series: SeriesRef }) {
  const { run, pending, text } = useRun();
  return (
    <form className="flex flex-wrap items-end gap-3" aria-label="Refresh the baseline" onSubmit={(e) => { e.preventDefault(); run(e.currentTarget, (note) => refreshBaselineAction({ ...series, note }), 'Baseline refreshed.'); }}>
      <Input id="refresh-note" name="note" label="Note" required maxLength={2000} hint="why the baseline moves" fieldClassName="min-w-64 flex-1" />
      <Button type="submit" pending={pending} pendingLabel="Refreshing…">Refresh baseline</Button>
      {text}
    </form>
  );
}

export function RollbackForm({ series, toVersion }: { series: SeriesRef; toVersion: number }) {
  const { run, pending, text } = useRun(useContext(RollbackStatusContext));
  return (
    <form className="mt-2 flex flex-wrap items-end gap-2" aria-label={`Roll back to v${toVersion}`} onSubmit={(e) => { e.preventDefault(); run(e.currentTarget, (note) => rollbackBaselineAction({ ...series, toVersion, note }), `Rolled back to v${toVersion}.`); }}>
      <Input id={`rollback-note-${toVersion}`} name="note" label="Note" required maxLength={2000} fieldClassName="min-w-40 flex-1" className="h-8" />
      <Button type="submit" size="sm" variant="secondary" pending={pending} pendingLabel="Rolling back…">Roll back to v{toVersion}</Button>
      {text}
    </form>
  );
}
