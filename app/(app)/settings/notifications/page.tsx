import type { Metadata } from 'next';
import Link from 'next/link';
import { ChannelCard } from '@/components/notifications/channel-card';
import { ChannelForm } from '@/components/notifications/channel-form';
import { DeliveryFilters } from '@/components/notifications/delivery-filters';
import { DeliveryLog } from '@/components/notifications/delivery-log';
import type { SearchParams } from '@/components/search-params';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { KIND_NAMES_ALL } from '@/lib/engine/notifications/kinds';
import { hasRole } from '@/lib/engine/roles';
import { listChannels } from '@/lib/services/notifications/channels';
import { deliveryCounts, deliveryFilterSchema, listDeliveries } from '@/lib/services/notifications/deliveries';

export const metadata: Metadata = { title: 'Notifications' };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Operators see channels (never their secrets) and the delivery log; admins also change them. */
export default async function NotificationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const header = <PageHeader title="Notifications" description="Where Steward sends alerts (webhooks, Slack, email), which events go where, and how each delivery went." />;
  if (!hasRole(user.role, 'operator')) {
    return (
      <>
        {header}
        <Card><p className="text-sm text-zinc-600 dark:text-zinc-400">Only operators and admins see notification settings.</p></Card>
      </>
    );
  }
  const isAdmin = hasRole(user.role, 'admin');
  const sp = await searchParams;
  const filter = deliveryFilterSchema.parse({ channel: first(sp.channel), status: first(sp.status), kind: first(sp.kind), page: first(sp.page) });
  const db = await getDb();
  const [channels, log, counts, projects] = await Promise.all([
    listChannels(db), listDeliveries(db, filter), deliveryCounts(db), db.project.findMany({ select: { key: true }, orderBy: { key: 'asc' } }),
  ]);
  const values = { channel: filter.channel, status: filter.status, kind: filter.kind };
  const href = (page: number) => `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(values).filter(([, v]) => v)), page: String(page) } as Record<string, string>).toString()}`;
  return (
    <>
      {header}
      <p className="mb-4 text-sm"><Link href="/settings" className="underline">← Settings</Link></p>
      <div className="space-y-6">
        <Card id="channels" title="Channels" description="Secrets (webhook URLs, SMTP passwords) are encrypted at rest and never shown again; leave the field empty when editing to keep them.">
          {channels.length === 0 ? (
            <EmptyState title="No channels yet">{isAdmin ? 'Add one below, then a rule saying which events it receives.' : 'An admin adds channels.'}</EmptyState>
          ) : (
            <div className="space-y-4">
              {channels.map((c) => <ChannelCard key={c.id} channel={c} projects={projects.map((p) => p.key)} canEdit={isAdmin} />)}
            </div>
          )}
        </Card>
        {isAdmin && (
          <Card id="add-channel" title="Add channel">
            <ChannelForm />
          </Card>
        )}
        <Card id="deliveries" title="Delivery log" description={`${counts.delivered} delivered, ${counts.pending + counts.sending} waiting, ${counts.failed} retrying, ${counts.dead} dead (gave up).`}>
          <DeliveryFilters channels={channels.map((c) => ({ id: c.id, name: c.name }))} kinds={KIND_NAMES_ALL} values={values} />
          <DeliveryLog rows={log.rows} total={log.total} page={log.page} pageSize={log.pageSize} filtered={Boolean(values.channel || values.status || values.kind)} href={href} />
        </Card>
      </div>
    </>
  );
}
