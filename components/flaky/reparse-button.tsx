'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { reparseUploadAction } from '@/lib/actions/flaky';

/** Admins re-parse a kept raw upload with the current parser; the server replaces its results atomically. */
export function ReparseButton({ uploadId, fileName }: { uploadId: string; fileName: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="mt-2 flex flex-col items-start gap-1">
      <Button size="sm" variant="secondary" pending={pending} pendingLabel="Re-parsing…" aria-label={`Re-parse ${fileName}`} onClick={() => {
        setMessage(null);
        startTransition(async () => {
          const res = await reparseUploadAction({ uploadId });
          if (!res.ok) return setMessage({ ok: false, text: res.error.message });
          const { before: b, after: a, changed } = res.data;
          setMessage({ ok: true, text: changed ? `Re-parsed: ${b.tests} → ${a.tests} tests, ${b.failed + b.errors} → ${a.failed + a.errors} failed, ${b.flaky} → ${a.flaky} flaky.` : 'Re-parsed: the current parser reads it the same.' });
          router.refresh();
        });
      }}>Re-parse</Button>
      {message && <p role={message.ok ? 'status' : 'alert'} className={`max-w-xs text-xs break-words ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'font-medium text-red-700 dark:text-red-400'}`}>{message.text}</p>}
    </div>
  );
}
