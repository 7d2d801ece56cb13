import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { UploadsTable } from '@/components/flaky/uploads-table';
import { pageOf, type SearchParams } from '@/components/search-params';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { HistoryPagination } from '@/components/ui/pagination';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { ServiceError } from '@/lib/services/errors';
import { requireProject } from '@/lib/services/flaky/projects';
import { uploadsPage } from '@/lib/services/flaky/queries';

export const metadata: Metadata = { title: 'Uploads' };
const PAGE = 50;

export default async function UploadsPage({ params, searchParams }: { params: Promise<{ project: string }>; searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const { project: key } = await params;
  const page = pageOf((await searchParams).page);
  const db = await getDb();
  const project = await requireProject(db, 'all', key).catch((e) => (e instanceof ServiceError ? null : Promise.reject(e)));
  if (!project) notFound();
  const uploads = await uploadsPage(db, project.id, { page, pageSize: PAGE });
  return (
    <>
      <PageHeader title={`Uploads: ${project.name}`} description={<><Link href={`/flaky/${key}`} className="text-sky-700 hover:underline dark:text-sky-400">← {project.name}</Link> · every results file received, with its counts, warnings and infrastructure-failure flag.</>} />
      <Card>
        {uploads.rows.length ? (
          <>
            <UploadsTable rows={uploads.rows} canReparse={hasRole(user.role, 'admin')} />
            <HistoryPagination shown={uploads.rows.length} total={uploads.total} page={page} pageSize={PAGE} noun="uploads" href={(p) => `/flaky/${key}/uploads${p > 1 ? `?page=${p}` : ''}`} />
          </>
        ) : (
          <EmptyState title="No uploads yet">Send JUnit XML from CI: <code className="font-mono [overflow-wrap:anywhere]">steward report junit &apos;**/junit*.xml&apos; --project {key}</code>.</EmptyState>
        )}
      </Card>
    </>
  );
}
