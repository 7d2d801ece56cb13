'use client';
import { useState, useTransition } from 'react';
import { revokeTokenAction } from '@/lib/actions/tokens';
import { Button } from '@/components/ui/button';

/** Two steps: "Revoke" asks, "Confirm revoke" does it. CI using the token fails from then on. */
export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function revoke() {
    setError(null);
    startTransition(async () => {
      const res = await revokeTokenAction({ tokenId });
      if (!res.ok) setError(res.error.message);
      setConfirming(false);
    });
  }

  return (
    <div className="flex flex-col items-start gap-1">
      {confirming ? (
        <div role="group" aria-label={`Confirm revoking ${name}`} className="flex flex-wrap items-center gap-2">
          <span className="text-xs">CI using it will stop working.</span>
          <Button size="sm" variant="danger" pending={pending} pendingLabel="Revoking…" onClick={revoke} aria-label={`Confirm revoke ${name}`}>
            Confirm revoke
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(false)} disabled={pending}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button size="sm" variant="secondary" onClick={() => setConfirming(true)} aria-label={`Revoke ${name}`}>
          Revoke
        </Button>
      )}
      {error && (
        <p role="alert" className="text-xs font-medium text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
