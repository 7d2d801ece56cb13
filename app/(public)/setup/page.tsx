import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { SetupForm } from '@/components/auth/setup-form';
import { getDb } from '@/lib/db/client';
import { countUsers } from '@/lib/services/users';

export const metadata: Metadata = { title: 'First-run setup' };

/** Only reachable while there are no users; the action re-checks under a lock. */
export default async function SetupPage() {
  // Never prerender: whether setup is open depends on the database at request time.
  await connection();
  if ((await countUsers(await getDb())) > 0) redirect('/login');
  return (
    <>
      <h1 className="text-xl font-semibold">Set up Steward</h1>
      <p className="mt-1 mb-5 text-sm text-zinc-600 dark:text-zinc-400">
        Create the first admin account with the one-time setup code from the server log. Admins add everyone else from Settings.
      </p>
      <SetupForm />
    </>
  );
}
