import type { Metadata } from 'next';
import { DatabaseCard } from '@/components/overview/database-card';
import { RecentActivity } from '@/components/overview/recent-activity';
import { TokensCard } from '@/components/overview/tokens-card';
import { UsersCard } from '@/components/overview/users-card';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { getOverview } from '@/lib/services/overview';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const user = await requireUser();
  const overview = await getOverview(await getDb());
  const isAdmin = hasRole(user.role, 'admin');
  return (
    <>
      <PageHeader title="Overview" description="Accounts, CI access and recent changes in this Steward instance." />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <UsersCard users={overview.users} canManage={isAdmin} />
        <TokensCard tokens={overview.tokens} canManage={isAdmin} />
        <DatabaseCard database={overview.database} />
      </div>
      <div className="mt-6">
        <RecentActivity rows={overview.recentAudit} />
      </div>
    </>
  );
}
