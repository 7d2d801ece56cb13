'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { authClient } from './auth-client';

/** Turns better-auth's error status into a sentence a person can act on. */
function signInMessage(status: number, message: string | undefined, retryAfter: string | null): string {
  if (status === 429) {
    const secs = retryAfter ? Number.parseInt(retryAfter, 10) : NaN;
    const wait = Number.isFinite(secs) && secs > 0 ? `Try again in ${secs} second${secs === 1 ? '' : 's'}.` : 'Wait a minute and try again.';
    return `Too many sign-in attempts. ${wait}`;
  }
  if (status === 401) return 'Wrong email or password.';
  if (status === 403) return 'This account is disabled. Ask an admin to enable it.';
  return message ? `Sign-in failed: ${message}` : 'Sign-in failed. Try again.';
}

/** `next` has already been checked by the server page (same-site relative path only). */
export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    let retryAfter: string | null = null;
    try {
      const { error: err } = await authClient.signIn.email({
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        fetchOptions: {
          onError: (ctx) => {
            retryAfter = ctx.response.headers.get('X-Retry-After');
          },
        },
      });
      if (err) {
        setError(signInMessage(err.status, err.message, retryAfter));
        setPending(false);
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
      setPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" aria-label="Sign in">
      <Input id="login-email" name="email" type="email" label="Email" autoComplete="username" required autoFocus />
      <Input id="login-password" name="password" type="password" label="Password" autoComplete="current-password" required />
      {error && <Alert>{error}</Alert>}
      <Button type="submit" className="w-full" pending={pending} pendingLabel="Signing in…">
        Sign in
      </Button>
    </form>
  );
}
