import type { Metadata } from 'next';
import { AccountCard } from '@/components/settings/account-card';
import { TokensSection } from '@/components/settings/tokens-section';
import { UsersSection } from '@/components/settings/users-section';
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { listTokens } from '@/lib/services/tokens';
import { listUsers } from '@/lib/services/users';

export const metadata: Metadata = { title: 'Settings' };

/** Admin controls are hidden from other roles here, and refused by the actions regardless. */
export default async function SettingsPage() {
  const user = await requireUser();
  const isAdmin = hasRole(user.role, 'admin');
  const db = await getDb();
  const [users, tokens] = isAdmin ? await Promise.all([listUsers(db), listTokens(db)]) : [null, null];
  return (
    <>
      <PageHeader title="Settings" description="Your account, the people who can sign in, and API tokens for CI." />
      <div className="space-y-6">
        <AccountCard user={user} />
        {users ? (
          <UsersSection users={users} currentUserId={user.id} />
        ) : (
          <Card id="users" title="Users">
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Only admins manage users.</p>
          </Card>
        )}
        <Card id="notifications" title="Notifications" description="Webhook, Slack and email channels, which events reach them, and the delivery log.">
          {hasRole(user.role, 'operator') ? (
            <Link href="/settings/notifications" className="text-sm font-medium underline">
              {isAdmin ? 'Manage notifications' : 'View notifications'}
            </Link>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Only operators and admins see notification settings.</p>
          )}
        </Card>
        {tokens ? (
          <TokensSection tokens={tokens} />
        ) : (
          <Card id="tokens" title="API tokens">
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Only admins manage API tokens.</p>
          </Card>
        )}
      </div>
    </>
  );
}
