'use client';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * Shows a new token's secret once. It lives only in this component's state: dismissing it or
 * leaving the page loses it for good, which is the point — the server keeps only a hash.
 */
export function SecretBox({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // Clipboard access needs a secure context (https or localhost); fall back to a selection.
      inputRef.current?.select();
      setCopied('failed');
    }
  }

  return (
    <section aria-labelledby="new-token-title" className="mb-5 rounded-md border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">
      <h3 id="new-token-title" className="text-sm font-semibold text-amber-950 dark:text-amber-100">
        Copy the secret for “{name}” now
      </h3>
      <p className="mt-1 text-sm text-amber-900 dark:text-amber-200">
        It will not be shown again. Steward stores only a hash; if you lose it, revoke this token and create a new one.
      </p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="new-token-secret" className="sr-only">
          New token secret
        </label>
        <input
          ref={inputRef}
          id="new-token-secret"
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          className="h-10 min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-3 font-mono text-sm dark:border-amber-700 dark:bg-zinc-950"
        />
        <Button variant="secondary" onClick={copy}>
          Copy
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
      <p role="status" className="mt-2 text-xs text-amber-900 dark:text-amber-200">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not reach the clipboard; the secret is selected, press Ctrl+C (⌘C).' : ''}
      </p>
    </section>
  );
}
