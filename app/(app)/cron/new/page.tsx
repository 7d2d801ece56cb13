import type { Metadata } from 'next';
import Link from 'next/link';
import { userActor } from '@/components/cron/actor';
import { CheckForm } from '@/components/cron/check-form';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { listPingKeys } from '@/lib/services/cron';
import { listRootCards } from '@/lib/services/retention/queries';

export const metadata: Metadata = { title: 'New check' };

export default async function NewCheckPage() {
  const user = await requireUser();
  if (!hasRole(user.role, 'operator')) {
    return (
      <>
        <PageHeader title="New check" />
        <EmptyState title="Only operators and admins create checks" action={<Link href="/cron" className={buttonClasses('secondary', 'sm')}>Back to the checks</Link>} />
      </>
    );
  }
  const db = await getDb();
  const [keys, roots] = await Promise.all([listPingKeys(db, userActor(user)), listRootCards(db, new Date())]);
  return (
    <>
      <PageHeader title="New check" description={<><Link href="/cron" className="text-sky-700 hover:underline dark:text-sky-400">← Cron</Link> · A ping check expects its job to call a URL on schedule; a freshness check watches an artifact file&apos;s age.</>} />
      <CheckForm timeZones={Intl.supportedValuesOf('timeZone')} pingKeys={keys.map((k) => ({ id: k.id, name: k.name }))} roots={roots.map((r) => ({ id: r.id, name: r.name, path: r.path }))} />
    </>
  );
}
