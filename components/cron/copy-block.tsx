'use client';
import { useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * A read-only snippet with a Copy button. Without clipboard access (plain http on a LAN host is no
 * secure context) the text is selected instead and the status line says to press Ctrl+C.
 */
export function CopyBlock({ label, text, hint, multiline = false }: { label: string; text: string; hint?: string; multiline?: boolean }) {
  const id = useId();
  const ref = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      const el = ref.current;
      if (el) {
        const range = document.createRange();
        range.selectNodeContents(el);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
      }
      setCopied('failed');
    }
  }

  return (
    <div className="min-w-0">
      <div className="mb-1 flex items-center justify-between gap-2">
        <span id={`${id}-label`} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">{label}</span>
        <Button size="sm" variant="secondary" onClick={copy} aria-label={`Copy ${label}`}>Copy</Button>
      </div>
      <pre
        ref={ref}
        aria-labelledby={`${id}-label`}
        className={`overflow-x-auto rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs text-zinc-900 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100 ${multiline ? 'whitespace-pre' : 'whitespace-pre-wrap [overflow-wrap:anywhere]'}`}
      >
        {text}
      </pre>
      {hint && <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{hint}</p>}
      <p role="status" className="mt-1 text-xs text-zinc-600 empty:hidden dark:text-zinc-400">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not reach the clipboard; the text is selected, press Ctrl+C (⌘C).' : ''}
      </p>
    </div>
  );
}
