'use client';
import { useEffect } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** A page failed to render. Server errors reach us without details; the digest finds them in the log. */
export default function AppError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && 'digest' in error ? String((error as Error & { digest?: unknown }).digest) : null;
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">This page could not be loaded</h1>
      <Alert>
        Something went wrong on the server.{' '}
        {digest ? (
          <>
            Look for <code className="font-mono">{digest}</code> in the server log.
          </>
        ) : (
          'The server log has details.'
        )}
      </Alert>
      <Button onClick={() => retry()}>Try again</Button>
    </div>
  );
}
