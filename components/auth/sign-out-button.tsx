'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { authClient } from './auth-client';

export function SignOutButton({ className }: { className?: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function signOut() {
    setPending(true);
    setFailed(false);
    try {
      const { error } = await authClient.signOut();
      if (error) throw new Error(error.message);
      router.push('/login');
      router.refresh();
    } catch {
      setFailed(true);
      setPending(false);
    }
  }

  return (
    <div className={className}>
      <Button variant="secondary" size="sm" className="w-full" onClick={signOut} pending={pending} pendingLabel="Signing out…">
        Sign out
      </Button>
      {failed && (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">
          Sign-out failed. Try again.
        </p>
      )}
    </div>
  );
}
