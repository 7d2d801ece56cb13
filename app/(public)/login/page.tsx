import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { safeNextPath } from '@/components/auth/safe-next';
import { getSessionUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { countUsers } from '@/lib/services/users';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNextPath((await searchParams).next);
  if ((await countUsers(await getDb())) === 0) redirect('/setup');
  if (await getSessionUser(await headers())) redirect(next);
  return (
    <>
      <h1 className="text-xl font-semibold">Sign in to Steward</h1>
      <p className="mt-1 mb-5 text-sm text-zinc-600 dark:text-zinc-400">Accounts are created by an admin in Settings.</p>
      <LoginForm next={next} />
    </>
  );
}
