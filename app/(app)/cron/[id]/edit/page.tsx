import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { userActor } from '@/components/cron/actor';
import { CheckForm } from '@/components/cron/check-form';
import { displayText } from '@/components/cron/format';
import { formSource } from '@/components/cron/form-model';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { getCheck, listPingKeys } from '@/lib/services/cron';
import { listRootCards } from '@/lib/services/retention/queries';
import { ServiceError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Edit check' };

export default async function EditCheckPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  if (!hasRole(user.role, 'operator')) {
    return (
      <>
        <PageHeader title="Edit check" />
        <EmptyState title="Only operators and admins edit checks" action={<Link href={`/cron/${encodeURIComponent(id)}`} className={buttonClasses('secondary', 'sm')}>Back to the check</Link>} />
      </>
    );
  }
  const db = await getDb();
  const actor = userActor(user);
  const [check, keys, roots] = await Promise.all([
    getCheck(db, actor, id, new Date()).catch((e) => (e instanceof ServiceError && e.code === 'not_found' ? null : Promise.reject(e))),
    listPingKeys(db, actor),
    listRootCards(db, new Date()),
  ]);
  if (!check) notFound();
  return (
    <>
      <PageHeader title={`Edit ${displayText(check.name)}`} description={<Link href={`/cron/${check.id}`} className="text-sky-700 hover:underline dark:text-sky-400">← Back to the check</Link>} />
      <CheckForm check={formSource(check)} timeZones={Intl.supportedValuesOf('timeZone')} pingKeys={keys.map((k) => ({ id: k.id, name: k.name }))} roots={roots.map((r) => ({ id: r.id, name: r.name, path: r.path }))} />
    </>
  );
}
